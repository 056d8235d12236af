package io.infrasteps.plugin.common;

import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.RetryPolicy;
import io.infrasteps.engine.site.Region;
import io.infrasteps.engine.site.Site;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Opens a site's Consul clients for one step run, with the site's ACL token ({@code credentials.consulToken})
 * looked up at that moment. The token goes from the credential into a local {@code char[]}, is copied by the
 * engine (which sends it only as a header) and wiped here; closing the returned {@link ConsulSite} wipes the
 * engine's copies.
 */
public final class ConsulAccess {

    /** Timeout of one Consul request (blocking queries add their wait). */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private ConsulAccess() {
    }

    /** True when at least one region of the site names its Consul agent. */
    public static boolean hasConsul(Site site) {
        return site.regions().stream().anyMatch(r -> r.consul() != null);
    }

    /** Fails naming the {@code site} parameter when the site has no Consul endpoint. */
    public static void requireConsul(Site site, String description) {
        if (!hasConsul(site)) {
            throw new InvalidInputException("site", description + " has no Consul endpoint",
                    "a site whose regions name their Consul agent (regions[].consul, see docs/site-config.md)");
        }
    }

    /** The region whose Consul agent holds environment locks: the site's local region. */
    public static Region lockRegion(Site site) {
        return site.findRegion(site.localRegion()).orElseThrow(() -> new InvalidInputException("localRegion",
                "is not a region of site " + site.name(), "one of " + site.regionNames()));
    }

    /** Consul clients for the site, authenticated with its token credential when the site names one. */
    public static ConsulSite open(Site site, String description, StepServices services) throws IOException, InterruptedException {
        requireConsul(site, description);
        String id = site.credentials() == null ? null : site.credentials().consulToken();
        if (id == null) {
            return new ConsulSite(site, null, RetryPolicy.defaults(), REQUEST_TIMEOUT);
        }
        String field = "credentials.consulToken of " + description;
        StringCredentials credential = services.secretText(field, id);
        char[] token = ConsulTokenCredentials.token(credential, field, id);
        try {
            return new ConsulSite(site, token, RetryPolicy.defaults(), REQUEST_TIMEOUT);
        } finally {
            Arrays.fill(token, '\0');
        }
    }
}
