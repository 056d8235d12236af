package io.infrasteps.engine.consul;

import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Region;
import io.infrasteps.engine.site.Site;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Consul clients of one environment: each region is reached through its own agent when the
 * site names one, otherwise through the local region's agent with {@code ?dc=}.
 */
public final class ConsulSite implements AutoCloseable {
    private final Site site;
    private final Map<URI, ConsulClient> clients = new HashMap<>();
    private final char[] token;
    private final RetryPolicy retry;
    private final Duration requestTimeout;

    public ConsulSite(Site site, char[] token, RetryPolicy retry, Duration requestTimeout) {
        this.site = site;
        this.token = token == null ? null : token.clone();
        this.retry = retry;
        this.requestTimeout = requestTimeout;
    }

    public Site site() {
        return site;
    }

    /** The client that answers for {@code region}. */
    public synchronized ConsulClient client(Region region) {
        URI uri = region.consul();
        if (uri == null) {
            uri = site.findRegion(site.localRegion()).map(Region::consul).orElse(null);
        }
        if (uri == null) {
            throw new InvalidInputException("regions[" + region.name() + "].consul", "is not configured (nor for the local region "
                    + site.localRegion() + ")", "an http(s) URL of a Consul agent in the site");
        }
        return clients.computeIfAbsent(uri, u -> new ConsulClient(u, token, retry, requestTimeout));
    }

    public ConsulClient client(String regionName) {
        return client(site.findRegion(regionName).orElseThrow(() -> new InvalidInputException("region",
                "is not a region of site " + site.name(), "one of " + site.regionNames())));
    }

    @Override
    public synchronized void close() {
        clients.values().forEach(ConsulClient::wipe);
        if (token != null) {
            java.util.Arrays.fill(token, '\0');
        }
    }
}
