package io.infrasteps.plugin.haproxy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.haproxy.ServerTarget;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxShard;
import io.infrasteps.sandbox.ShardRegistrations;
import io.infrasteps.sandbox.consul.SandboxConsul;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * A sandbox fleet (real HAProxy processes, fake shard sidecars) with a sandbox Consul that requires an ACL token:
 * every shard registered as service {@code signal} in its region's datacenter, ready in KV. The site YAML names the
 * Consul agent for every region and the token credential {@link #TOKEN_ID}; {@link #seams()} supplies the site and
 * a secret text credential holding {@link #token}. Start the fleet once per class and {@link #reset()} the Consul
 * side per test.
 */
public final class ConsulFleet implements AutoCloseable {
    public static final String SITE = "sandbox";
    public static final String TOKEN_ID = "sandbox-consul-token";

    public final SandboxFleet fleet;
    /** A distinctive token, so any leak is found by searching for it. */
    public final String token = "tok-" + UUID.randomUUID();
    public SandboxConsul consul;
    public ShardRegistrations registrations;
    public String yaml;

    private ConsulFleet(SandboxFleet fleet) {
        this.fleet = fleet;
    }

    public static ConsulFleet start() {
        ConsulFleet f = new ConsulFleet(SandboxFleet.builder().shardsPerRegion(2).start());
        f.reset();
        return f;
    }

    /** A fresh Consul (token required), every shard registered healthy and ready, every proxy's servers ready. */
    public void reset() {
        if (consul != null) {
            consul.close();
        }
        consul = SandboxConsul.start(fleet.datacenters().toArray(String[]::new));
        consul.requireToken(token);
        registrations = ShardRegistrations.register(fleet, consul);
        yaml = withConsulToken(fleet.siteYaml(SandboxFleet.Transport.TCP, consul.uri()), TOKEN_ID);
        fleet.shards().forEach(s -> s.server().setHealthy(true));
        Site site = Site.parse(yaml, "sandbox");
        try (HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(5), null)) {
            HaproxyFleet proxies = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(8, false));
            for (SandboxShard shard : fleet.shards()) {
                proxies.setServerState(ServerTarget.shard(shard.name()), ServerState.READY, true, ProgressListener.NONE, Cancellation.create());
            }
            proxies.setLiveRelease(fleet.release(), ProgressListener.NONE, Cancellation.create());
            awaitAllUp(proxies);
        }
    }

    /** HAProxy's own health checks (every 500 ms) see a sidecar made healthy again only after a moment: wait for it. */
    private static void awaitAllUp(HaproxyFleet proxies) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            boolean allUp = proxies.status(ProgressListener.NONE, Cancellation.create()).proxies().stream()
                    .allMatch(p -> p.ok() && p.servers().stream().allMatch(r -> r.operationalState() == 2));
            if (allUp) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the sandbox proxies did not see every shard UP again within 15 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The site YAML with {@code credentials.consulToken: <id>}. */
    static String withConsulToken(String yaml, String id) {
        String marker = "protected: false\n";
        if (yaml.contains("\ncredentials:\n")) {
            return yaml.replace("\ncredentials:\n", "\ncredentials:\n  consulToken: " + id + "\n");
        }
        return yaml.replace(marker, marker + "credentials:\n  consulToken: " + id + "\n");
    }

    public Seams seams() {
        return new Seams().site(SITE, yaml).credential(TOKEN_ID, new FakeSecretText(TOKEN_ID, token));
    }

    /** Jenkins with the token credential but no configured site and no workspace: the site must come as siteYaml. */
    public Seams seamsWithoutSites() {
        return new Seams().credential(TOKEN_ID, new FakeSecretText(TOKEN_ID, token));
    }

    public String datacenter(String shard) {
        return ShardRegistrations.datacenter(fleet, fleet.shard(shard));
    }

    /** The datacenter of the site's local region, where environment locks live. */
    public String lockDatacenter() {
        return fleet.datacenters().get(0);
    }

    public List<SandboxShard> shards() {
        return fleet.shards();
    }

    public void assertNoToken(String what, String text) {
        assertFalse(text.contains(token), what + " contains the Consul token");
        assertFalse(text.contains(token.substring(4, 20)), what + " contains part of the Consul token");
    }

    public void assertNoToken(String what, byte[] bytes) {
        assertNoToken(what, new String(bytes, StandardCharsets.ISO_8859_1));
        assertNoToken(what + " (UTF-16)", new String(bytes, StandardCharsets.UTF_16BE));
    }

    /** Every request the Consul saw carried the token as a header, never in a URL; none was refused for a missing token. */
    public void assertTokenOnlyInHeaders() {
        assertFalse(consul.tokenSeenInUrl(), "a request carried the token in its URL");
        for (String request : consul.requests()) {
            assertNoToken("request line " + request, request);
        }
    }

    @Override
    public void close() {
        if (consul != null) {
            consul.close();
        }
        fleet.close();
    }
}
