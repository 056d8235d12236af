package io.infrasteps.sandbox;

/**
 * A shard of the sandbox fleet: region and number are typed fields (never parsed back out of the
 * name), and {@code server} is the process HAProxy routes to and health-checks.
 */
public record SandboxShard(String name, String region, int number, FakeShard server) {
    public int port() {
        return server.port();
    }
}
