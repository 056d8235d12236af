package io.infrasteps.sandbox;

import java.nio.file.Path;
import java.util.List;

/**
 * Renders the haproxy.cfg of one sandbox proxy, shaped like production: a backend per shard, a
 * backend per release (own region primary, other regions backup), a frontend choosing the
 * release through live.map and a health frontend switched off through up.map.
 */
final class HaproxyConfig {
    static final String HEALTH_PATH = "/about/health";
    private static final String CHECK = " check inter 500ms";

    private HaproxyConfig() {
    }

    static String render(Path dir, Ports ports, String region, int release, List<SandboxShard> shards) {
        String releaseBackend = "release-" + release;
        StringBuilder cfg = new StringBuilder();
        cfg.append("global\n")
                .append("    maxconn 200\n")
                .append("    stats socket ").append(dir.resolve("admin.sock")).append(" mode 600 level admin expose-fd listeners\n")
                .append("    stats socket 127.0.0.1:").append(ports.admin()).append(" level admin\n")
                .append("    stats timeout 30s\n")
                .append("\n")
                .append("defaults\n")
                .append("    mode http\n")
                .append("    timeout connect 2s\n")
                .append("    timeout client 10s\n")
                .append("    timeout server 10s\n")
                .append("\n")
                .append("frontend www\n")
                .append("    bind 127.0.0.1:").append(ports.frontend()).append("\n")
                .append("    use_backend %[str(live),map(").append(dir.resolve("maps/live.map")).append(",").append(releaseBackend).append(")]\n")
                .append("\n")
                // The cloud load balancer polls this; "up down" in up.map takes the proxy out of rotation.
                .append("frontend health\n")
                .append("    bind 127.0.0.1:").append(ports.health()).append("\n")
                .append("    http-request return status 503 content-type text/plain string \"down\" if { str(up),map(")
                .append(dir.resolve("maps/up.map")).append(",up) -m str down }\n")
                .append("    http-request return status 200 content-type text/plain string \"up\"\n");
        cfg.append("\nbackend ").append(releaseBackend).append("\n")
                .append("    option httpchk GET ").append(HEALTH_PATH).append("\n");
        for (SandboxShard shard : shards) {
            cfg.append("    server ").append(shard.name()).append(" 127.0.0.1:").append(shard.port()).append(CHECK)
                    .append(shard.region().equals(region) ? "" : " backup").append("\n");
        }
        for (SandboxShard shard : shards) {
            cfg.append("\nbackend ").append(shard.name()).append("\n")
                    .append("    option httpchk GET ").append(HEALTH_PATH).append("\n")
                    .append("    server ").append(shard.name()).append(" 127.0.0.1:").append(shard.port()).append(CHECK).append("\n");
        }
        return cfg.toString();
    }

    /** The loopback ports one proxy listens on. */
    record Ports(int admin, int frontend, int health) {
    }
}
