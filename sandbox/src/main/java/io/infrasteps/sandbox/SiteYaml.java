package io.infrasteps.sandbox;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Writes the site YAML the engine loads for a sandbox fleet. Only keys of the engine's schema
 * are emitted (unknown keys are errors there); map paths are given per proxy because every
 * sandbox proxy has its own directory.
 */
final class SiteYaml {
    /** Values matching this are safe as YAML plain scalars; anything else is double-quoted. */
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9/][A-Za-z0-9._/@:+-]*[A-Za-z0-9._/+-]|[A-Za-z0-9]");

    private SiteYaml() {
    }

    /**
     * @param address       the runtime API address of a proxy
     * @param sshCredential credential id for ssh:// addresses, or null
     * @param knownHosts    known_hosts lines for ssh:// addresses, or null
     */
    static String render(SandboxFleet fleet, Function<SandboxProxy, String> address, String sshCredential, String knownHosts) {
        return render(fleet, address, sshCredential, knownHosts, null);
    }

    /** @param consul the HTTP API every region's Consul is reached through (one agent serving all datacenters), or null */
    static String render(SandboxFleet fleet, Function<SandboxProxy, String> address, String sshCredential, String knownHosts,
                         String consul) {
        StringBuilder yaml = new StringBuilder()
                .append("name: ").append(scalar(fleet.environment())).append('\n')
                .append("domain: ").append(scalar(fleet.domain())).append('\n')
                .append("shardBase: ").append(scalar(fleet.environment())).append('\n')
                .append("localRegion: ").append(scalar(fleet.localRegion())).append('\n')
                .append("protected: false\n");
        if (sshCredential != null) {
            yaml.append("credentials:\n")
                    .append("  ssh: ").append(scalar(sshCredential)).append('\n');
        }
        if (knownHosts != null) {
            yaml.append("haproxy:\n")
                    .append("  knownHosts: |\n");
            for (String line : knownHosts.strip().split("\n")) {
                yaml.append("    ").append(line.strip()).append('\n');
            }
        }
        yaml.append("defaults:\n")
                .append("  parallelism: 8\n")
                .append("  timeoutSeconds: 10\n")
                .append("regions:\n");
        for (String region : fleet.regions()) {
            yaml.append("  - name: ").append(scalar(region)).append('\n')
                    .append("    datacenter: ").append(scalar(fleet.environment() + "-" + region)).append('\n');
            if (consul != null) {
                yaml.append("    consul: ").append(scalar(consul)).append('\n');
            }
            yaml.append("    haproxy:\n");
            List<SandboxProxy> proxies = fleet.proxies(region);
            for (SandboxProxy proxy : proxies) {
                yaml.append("      - name: ").append(scalar(proxy.name())).append('\n')
                        .append("        address: ").append(scalar(address.apply(proxy))).append('\n')
                        .append("        liveMap: ").append(scalar(proxy.liveMap().toString())).append('\n')
                        .append("        upMap: ").append(scalar(proxy.upMap().toString())).append('\n');
            }
        }
        return yaml.toString();
    }

    static String scalar(String value) {
        if (PLAIN.matcher(value).matches() && !value.equals("true") && !value.equals("false")
                && !value.equals("null") && !value.matches("[0-9.+-]+")) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
