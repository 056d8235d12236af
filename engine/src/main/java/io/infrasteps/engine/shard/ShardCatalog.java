package io.infrasteps.engine.shard;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.Indexed;
import io.infrasteps.engine.consul.ServiceInstance;
import io.infrasteps.engine.site.Region;
import io.infrasteps.engine.site.Site;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Shards and releases as registered in Consul: service {@code signal}, one instance per shard,
 * with meta {@code environment}, {@code shard}, {@code release_number} and the sidecar address.
 * Filter expressions are built only from validated values, so quoting is safe.
 */
public final class ShardCatalog {
    public static final String SERVICE = "signal";

    private ShardCatalog() {
    }

    /**
     * The health endpoint's filter for an environment's shards, optionally of one release. (The
     * health endpoint's selectors are {@code Service.Meta.*}; the catalog's are {@code ServiceMeta.*}.)
     */
    public static String healthFilter(Site site, Integer release) {
        String filter = "Service.Meta.environment == \"" + Inputs.require("environment", site.name(), Inputs.DNS_LABEL) + "\"";
        if (release != null) {
            filter += " and Service.Meta.release_number == \"" + Inputs.range("release", release, 1, Integer.MAX_VALUE) + "\"";
        }
        return filter;
    }

    /** Health entries (with checks) of the environment's shards in one region, at an index, for blocking queries. */
    public static Indexed<List<ServiceInstance>> health(ConsulSite consul, Region region, Integer release, long index, Duration wait,
                                                        Cancellation cancellation) {
        return consul.client(region).healthService(region.datacenter(), SERVICE, healthFilter(consul.site(), release), false, index, wait,
                cancellation);
    }

    /** Every shard of the environment (or of one release) in the given regions (all when empty). */
    public static List<ShardRecord> list(ConsulSite consul, List<String> regions, Integer release, Cancellation cancellation) {
        Site site = consul.site();
        List<ShardRecord> shards = new ArrayList<>();
        for (Region region : site.regions()) {
            if (!regions.isEmpty() && !regions.contains(region.name())) {
                continue;
            }
            for (ServiceInstance instance : health(consul, region, release, 0, null, cancellation).value()) {
                ShardRecord record = record(site, region, instance);
                if (record != null) {
                    shards.add(record);
                }
            }
        }
        return shards;
    }

    /** A shard record from a registration, or null when its meta does not name a shard of this site's region. */
    static ShardRecord record(Site site, Region region, ServiceInstance instance) {
        String name = instance.meta("shard");
        if (name == null) {
            return null;
        }
        try {
            ShardName shard = ShardName.parse("shard", name, site);
            if (!shard.region().equals(region.name())) {
                return null;
            }
            String release = instance.meta("release_number");
            Integer number = release != null && release.matches("[1-9][0-9]{0,8}") ? Integer.valueOf(release) : null;
            return new ShardRecord(shard, region.datacenter(), number, instance);
        } catch (InvalidInputException e) {
            return null;
        }
    }
}
