package io.infrasteps.sandbox;

import io.infrasteps.sandbox.consul.CheckSpec;
import io.infrasteps.sandbox.consul.SandboxConsul;

import java.util.List;
import java.util.Map;

/**
 * Registers a sandbox fleet's shards in the sandbox Consul the way real shards register:
 * service {@code signal} with the documented meta (environment, shard, release, sidecar address)
 * in the datacenter {@code <environment>-<region>}, a health check, and their ready state in KV
 * {@code shard-states/<env>/<shard>}. {@link #setHealthy} flips a shard's sidecar and its Consul
 * check together, as a Consul agent's HTTP check against the sidecar would.
 */
public final class ShardRegistrations {
    public static final String SERVICE = "signal";
    public static final String CHECK_ID = "signal-health";

    private final SandboxFleet fleet;
    private final SandboxConsul consul;

    private ShardRegistrations(SandboxFleet fleet, SandboxConsul consul) {
        this.fleet = fleet;
        this.consul = consul;
    }

    /** Registers every shard of {@code fleet} as healthy and ready. */
    public static ShardRegistrations register(SandboxFleet fleet, SandboxConsul consul) {
        ShardRegistrations registrations = new ShardRegistrations(fleet, consul);
        for (SandboxShard shard : fleet.shards()) {
            registrations.register(shard, fleet.release(), true);
            consul.putKv(datacenter(fleet, shard), "shard-states/" + fleet.environment() + "/" + shard.name(), "ready");
        }
        return registrations;
    }

    /** (Re)registers one shard in a release, passing or critical. */
    public void register(SandboxShard shard, int release, boolean healthy) {
        String port = String.valueOf(shard.port());
        Map<String, String> meta = Map.of(
                "environment", fleet.environment(),
                "shard", shard.name(),
                "shard_id", String.valueOf(shard.number()),
                "release_number", String.valueOf(release),
                "http_backend_port", port,
                "signal_sidecar_agent_port", port,
                "signal_sidecar_http_ip", "127.0.0.1",
                "signal_sidecar_http_port", port);
        consul.registerService(datacenter(fleet, shard), shard.name(), "127.0.0.1", SERVICE + "-" + shard.name(), SERVICE,
                shard.port(), meta, List.of(healthy ? CheckSpec.passing(CHECK_ID) : CheckSpec.critical(CHECK_ID, "sidecar not healthy")));
        shard.server().setHealthy(healthy);
    }

    /** Flips the shard's sidecar health and its Consul check at once. */
    public void setHealthy(String shardName, boolean healthy) {
        SandboxShard shard = fleet.shard(shardName);
        shard.server().setHealthy(healthy);
        consul.setCheck(datacenter(fleet, shard), SERVICE + "-" + shard.name(), CHECK_ID, healthy ? "passing" : "critical",
                healthy ? "HTTP GET /about/health: 200 OK" : "HTTP GET /about/health: 503 Service Unavailable");
    }

    public static String datacenter(SandboxFleet fleet, SandboxShard shard) {
        return fleet.environment() + "-" + shard.region();
    }
}
