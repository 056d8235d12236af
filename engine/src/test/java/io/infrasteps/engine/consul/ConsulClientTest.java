package io.infrasteps.engine.consul;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.sandbox.consul.CheckSpec;
import io.infrasteps.sandbox.consul.SandboxConsul;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Consul client against the sandbox Consul, including its failure modes. */
class ConsulClientTest {
    private static final String TOKEN = "s3cr3t-acl-token-0000";
    private SandboxConsul sandbox;
    private ConsulClient consul;
    private final Cancellation none = Cancellation.create();

    @BeforeEach
    void start() {
        sandbox = SandboxConsul.start("dc1", "dc2");
        sandbox.requireToken(TOKEN);
        consul = new ConsulClient(sandbox.uri(), TOKEN.toCharArray(),
                new RetryPolicy(Duration.ofSeconds(10), Duration.ofMillis(5), Duration.ofMillis(100)), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void kvCasNeverOverwritesAConcurrentChange() {
        assertTrue(consul.put("dc1", "shard-states/e/s1", "drain", 0L, none), "create-only succeeds on an absent key");
        assertFalse(consul.put("dc1", "shard-states/e/s1", "ready", 0L, none), "create-only fails on an existing key");
        KvEntry entry = consul.get("dc1", "shard-states/e/s1", 0, null, none).value();
        assertEquals("drain", entry.value());
        sandbox.putKv("dc1", "shard-states/e/s1", "ready");
        assertFalse(consul.put("dc1", "shard-states/e/s1", "drain", entry.modifyIndex(), none), "stale CAS index is refused");
        assertEquals("ready", sandbox.kv("dc1", "shard-states/e/s1"));
        assertNull(consul.get("dc2", "shard-states/e/s1", 0, null, none).value(), "datacenters have separate KV");
        consul.put("dc1", "shard-states/e/s2", "ready", null, none);
        assertEquals(2, consul.list("dc1", "shard-states/e/", 0, null, none).value().size());
        assertTrue(consul.delete("dc1", "shard-states/e/", null, true, none));
        assertTrue(consul.list("dc1", "shard-states/e/", 0, null, none).value().isEmpty());
    }

    @Test
    void blockingQueriesReturnOnChangeAndIndexResetsWhenItGoesBackwards() throws Exception {
        consul.put("dc1", "releases/e/live", "release-1", null, none);
        Indexed<KvEntry> first = consul.get("dc1", "releases/e/live", 0, null, none);
        CompletableFuture<Indexed<KvEntry>> blocked = CompletableFuture.supplyAsync(
                () -> consul.get("dc1", "releases/e/live", first.index(), Duration.ofSeconds(30), none));
        assertTrue(sandbox.awaitBlockedQueries(1, Duration.ofSeconds(5)));
        long changedAt = System.nanoTime();
        sandbox.putKv("dc1", "releases/e/live", "release-2");
        Indexed<KvEntry> changed = blocked.get(5, TimeUnit.SECONDS);
        assertTrue(System.nanoTime() - changedAt < Duration.ofSeconds(1).toNanos(), "woken by the change, not the wait");
        assertEquals("release-2", changed.value().value());
        assertTrue(changed.index() > first.index());

        Indexed<KvEntry> timedOut = consul.get("dc1", "releases/e/live", changed.index(), Duration.ofMillis(200), none);
        assertEquals(changed.index(), timedOut.index(), "no change: same index after the wait");

        sandbox.resetIndex();
        long returned = consul.get("dc1", "releases/e/live", 0, null, none).index();
        assertEquals(0, ConsulClient.nextIndex(changed.index(), returned), "went backwards: restart from 0");
    }

    @Test
    void theTokenTravelsOnlyAsAHeader() {
        consul.put("dc1", "a/b", "v", null, none);
        assertFalse(sandbox.tokenSeenInUrl());
        assertTrue(sandbox.requests().stream().noneMatch(r -> r.contains(TOKEN)));
        ConsulClient wrong = new ConsulClient(sandbox.uri(), "wrong".toCharArray(), RetryPolicy.none(), Duration.ofSeconds(5));
        ConsulException denied = assertThrows(ConsulException.class, () -> wrong.get("dc1", "a/b", 0, null, none));
        assertEquals(403, denied.status());
        assertFalse(denied.getMessage().contains("wrong") || denied.getMessage().contains(TOKEN), denied.getMessage());
    }

    @Test
    void transientFailuresAreRetriedWithinTheDeadline() {
        sandbox.faults().seed(7).failRate(0.2, 500);
        for (int i = 0; i < 40; i++) {
            assertTrue(consul.put("dc1", "k/" + i, "v" + i, null, none));
            assertEquals("v" + i, consul.get("dc1", "k/" + i, 0, null, none).value().value());
        }
        assertTrue(sandbox.faults().injected() > 0, "faults were injected");
        sandbox.faults().clear().failRate(0.3, 429);
        assertEquals(List.of("dc1", "dc2"), consul.datacenters(none));
        sandbox.faults().clear().failNext(3, 500).lostLeader(false);
        assertTrue(consul.put("dc1", "k/x", "v", null, none));
        sandbox.faults().clear().dropConnections(0.3);
        for (int i = 0; i < 10; i++) {
            assertEquals("v" + i, consul.get("dc1", "k/" + i, 0, null, none).value().value());
        }
    }

    @Test
    void persistentFailuresNameTheDatacenterEndpointAndKey() {
        ConsulClient impatient = new ConsulClient(sandbox.uri(), TOKEN.toCharArray(),
                new RetryPolicy(Duration.ofMillis(300), Duration.ofMillis(5), Duration.ofMillis(50)), Duration.ofSeconds(5));
        sandbox.faults().lostLeader(true);
        ConsulException e = assertThrows(ConsulException.class, () -> impatient.get("dc2", "shard-states/e/s9", 0, null, none));
        assertTrue(e.getMessage().contains("datacenter dc2") && e.getMessage().contains("GET /v1/kv/shard-states/e/s9")
                && e.getMessage().contains("key shard-states/e/s9") && e.getMessage().contains("No cluster leader")
                && e.getMessage().contains("attempts"), e.getMessage());
        sandbox.faults().clear();
        ConsulException unknownDc = assertThrows(ConsulException.class, () -> impatient.get("dc9", "a", 0, null, none));
        assertTrue(unknownDc.getMessage().contains("dc9"), unknownDc.getMessage());
    }

    @Test
    void aBadFilterFailsAtOnceInsteadOfBeingRetried() {
        long start = System.nanoTime();
        ConsulException e = assertThrows(ConsulException.class,
                () -> consul.healthService("dc1", "signal", "Nonsense.Selector == \"x\"", false, 0, null, none));
        assertTrue(e.getMessage().contains("Failed to create boolean expression evaluator"), e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "not retried until the 10 s deadline");
    }

    @Test
    void anUncertainWriteIsReReadNotBlindlyRepeated() {
        consul.put("dc1", "shard-states/e/s1", "ready", null, none);
        sandbox.faults().failAfterApply(1);
        KvWrites.Written written = KvWrites.casPut(consul, "dc1", "shard-states/e/s1", "drain", none);
        assertEquals("drain", sandbox.kv("dc1", "shard-states/e/s1"));
        assertFalse(written.changed() && !"ready".equals(written.before()));
    }

    @Test
    void healthAndCatalogWithFilters() {
        sandbox.registerService("dc2", "n1", "127.0.0.1", "signal-a", "signal", 8080,
                Map.of("environment", "e", "shard", "e-r-s1", "release_number", "3"), List.of(CheckSpec.passing("c1")));
        sandbox.registerService("dc2", "n2", "127.0.0.1", "signal-b", "signal", 8081,
                Map.of("environment", "other", "shard", "o-r-s1", "release_number", "3"), List.of(CheckSpec.critical("c1", "down")));
        List<ServiceInstance> health = consul.healthService("dc2", "signal", "Service.Meta.environment == \"e\"", false, 0, null, none).value();
        assertEquals(1, health.size());
        assertTrue(health.get(0).passing());
        assertEquals("e-r-s1", health.get(0).meta("shard"));
        assertEquals(1, consul.healthService("dc2", "signal", null, true, 0, null, none).value().size(), "?passing");
        assertEquals(2, consul.catalogService("dc2", "signal", "ServiceMeta.release_number == \"3\"", 0, null, none).value().size());
    }
}
