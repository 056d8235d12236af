package io.infrasteps.engine.release;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.FanOut;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.consul.KvWrites;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.shard.ShardCatalog;
import io.infrasteps.engine.shard.ShardRecord;
import io.infrasteps.engine.site.Region;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a release generally available: refuses unless every shard of the release is healthy
 * (or forced), writes {@code releases/<env>/live = release-<N>} with CAS in every datacenter,
 * then swaps the live map on every proxy atomically. Runs under the environment lock.
 */
public final class ReleaseGa {
    private final ConsulSite consul;
    private final HaproxyFleet haproxy;

    public ReleaseGa(ConsulSite consul, HaproxyFleet haproxy) {
        this.consul = consul;
        this.haproxy = haproxy;
    }

    public static String liveKey(String environment) {
        return "releases/" + environment + "/live";
    }

    /** What happened in each datacenter and on each proxy. */
    public static final class Result {
        private final Map<String, String> datacenters;
        private final FleetChange proxies;

        Result(Map<String, String> datacenters, FleetChange proxies) {
            this.datacenters = datacenters;
            this.proxies = proxies;
        }

        /** Datacenter to "changed from release-3" / "unchanged" / "FAILED: ...". */
        public Map<String, String> datacenters() {
            return datacenters;
        }

        public FleetChange proxies() {
            return proxies;
        }
    }

    public Result setLive(int release, boolean force, EnvironmentLock lock, ProgressListener listener, Cancellation cancellation) {
        Inputs.range("release", release, 1, Integer.MAX_VALUE);
        EnvironmentLock.requireHeld(lock, "switch GA");
        List<ShardRecord> shards = ShardCatalog.list(consul, List.of(), release, cancellation);
        if (shards.isEmpty() && !force) {
            throw new InvalidInputException("release", "has no shards registered in Consul for environment " + consul.site().name(),
                    "a release whose shards are up (or force: true)");
        }
        List<String> unhealthy = new ArrayList<>();
        for (ShardRecord shard : shards) {
            if (!shard.instance().passing()) {
                unhealthy.add(shard.name().toString());
            }
        }
        if (!unhealthy.isEmpty() && !force) {
            throw new IllegalStateException("refusing to make release " + release + " GA: unhealthy shards " + unhealthy
                    + " (wait for them, or use force: true)");
        }
        String value = "release-" + release;
        String key = liveKey(consul.site().name());
        List<Region> regions = consul.site().regions();
        List<String> outcomes = FanOut.run(regions, regions.size(), region -> {
            KvWrites.Written written = KvWrites.casPut(consul.client(region), region.datacenter(), key, value, cancellation);
            return written.changed() ? "changed from " + (written.before() == null ? "(absent)" : written.before()) : "unchanged";
        }, (region, error) -> "FAILED: " + error.getMessage());
        Map<String, String> byDatacenter = new LinkedHashMap<>();
        for (int i = 0; i < regions.size(); i++) {
            byDatacenter.put(regions.get(i).datacenter(), outcomes.get(i));
            listener.line("[consul " + regions.get(i).datacenter() + "] " + key + " = " + value + ": " + outcomes.get(i));
        }
        List<String> failedDcs = new ArrayList<>();
        byDatacenter.forEach((dc, outcome) -> {
            if (outcome.startsWith("FAILED")) {
                failedDcs.add(dc + " (" + outcome + ")");
            }
        });
        // Proxies follow KV; swap them even when a datacenter failed, then report both.
        FleetChange proxies = haproxy.setLiveRelease(release, listener, cancellation);
        if (!failedDcs.isEmpty()) {
            throw new IllegalStateException("release " + release + " GA written in " + (regions.size() - failedDcs.size()) + " of "
                    + regions.size() + " datacenters; failed: " + String.join(", ", failedDcs) + ". Re-run to converge.");
        }
        return new Result(byDatacenter, proxies);
    }
}
