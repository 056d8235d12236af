package io.infrasteps.sandbox.consul;

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
import static org.junit.jupiter.api.Assertions.assertTrue;

class BlockingQueryTest {
    private SandboxConsul consul;
    private Api api;

    @BeforeEach
    void start() {
        consul = SandboxConsul.start("dc1");
        api = new Api(consul);
    }

    @AfterEach
    void stop() {
        consul.close();
    }

    private void awaitBlocked(int n) throws InterruptedException {
        assertTrue(consul.awaitBlockedQueries(n, Duration.ofSeconds(5)), "expected " + n + " parked blocking queries");
    }

    @Test
    void returnsWithin100msOfAChange() throws Exception {
        api.put("/v1/kv/releases/stage/live", "release-1");
        long index = api.get("/v1/kv/releases/stage/live").index();
        CompletableFuture<Api.Reply> waiting = api.sendAsync("GET", "/v1/kv/releases/stage/live?index=" + index + "&wait=30s");
        awaitBlocked(1);
        assertFalse(waiting.isDone());

        api.put("/v1/kv/releases/stage/live", "release-2");
        long changed = System.nanoTime();
        Api.Reply reply = waiting.get(5, TimeUnit.SECONDS);
        long latencyMs = (System.nanoTime() - changed) / 1_000_000;
        assertTrue(latencyMs < 100, "answered " + latencyMs + " ms after the change");
        assertTrue(reply.index() > index);
        assertEquals("release-2", reply.value());
    }

    @Test
    void returnsAtTheWaitTimeoutWithTheSameIndex() {
        api.put("/v1/kv/k", "v");
        long index = api.get("/v1/kv/k").index();
        long start = System.nanoTime();
        Api.Reply reply = api.get("/v1/kv/k?index=" + index + "&wait=400ms");
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertEquals(index, reply.index());
        assertEquals("v", reply.value());
        assertTrue(elapsedMs >= 400, "waited " + elapsedMs + " ms");
        assertTrue(elapsedMs < 400 + 400 / 16 + 1000, "waited " + elapsedMs + " ms");
    }

    @Test
    void unrelatedWritesDoNotWakeAKeyQuery() {
        api.put("/v1/kv/watched", "v");
        long index = api.get("/v1/kv/watched").index();
        CompletableFuture<Api.Reply> waiting = api.sendAsync("GET", "/v1/kv/watched?index=" + index + "&wait=500ms");
        for (int i = 0; i < 5; i++) {
            api.put("/v1/kv/other-" + i, "x");
        }
        Api.Reply reply = waiting.join();
        assertEquals(index, reply.index(), "writes to other keys do not change this key's index");
    }

    @Test
    void staleIndexAnswersAtOnceAndIndexZeroNeverBlocks() {
        api.put("/v1/kv/k", "v1");
        long first = api.get("/v1/kv/k").index();
        api.put("/v1/kv/k", "v2");
        long start = System.nanoTime();
        Api.Reply stale = api.get("/v1/kv/k?index=" + first + "&wait=10s");
        Api.Reply zero = api.get("/v1/kv/k?index=0&wait=10s");
        assertTrue((System.nanoTime() - start) / 1_000_000 < 2000);
        assertEquals("v2", stale.value());
        assertEquals("v2", zero.value());
    }

    @Test
    void acceptsGoDurationsAndRejectsBadParameters() throws Exception {
        api.put("/v1/kv/k", "v");
        long index = api.get("/v1/kv/k").index();
        for (String wait : List.of("500ms", "1s", "5m", "1m30s")) {
            CompletableFuture<Api.Reply> waiting = api.sendAsync("GET", "/v1/kv/k?index=" + index + "&wait=" + wait);
            awaitBlocked(1);
            api.put("/v1/kv/k", "v-" + wait);
            Api.Reply reply = waiting.get(5, TimeUnit.SECONDS);
            assertEquals(200, reply.status(), wait);
            index = reply.index();
        }
        Api.Reply badWait = api.get("/v1/kv/k?index=1&wait=10");
        assertEquals(400, badWait.status());
        assertEquals("Invalid wait time", badWait.body());
        Api.Reply badIndex = api.get("/v1/kv/k?index=-3");
        assertEquals(400, badIndex.status());
        assertEquals("Invalid index", badIndex.body());
    }

    @Test
    void prefixQueryWakesOnDeleteUnderThePrefix() throws Exception {
        api.put("/v1/kv/shard-states/stage/s1", "ready");
        api.put("/v1/kv/shard-states/stage/s2", "ready");
        long index = api.get("/v1/kv/shard-states/stage/?recurse").index();
        CompletableFuture<Api.Reply> waiting = api.sendAsync("GET", "/v1/kv/shard-states/stage/?recurse&index=" + index + "&wait=30s");
        awaitBlocked(1);
        api.delete("/v1/kv/shard-states/stage/s1");
        Api.Reply reply = waiting.get(5, TimeUnit.SECONDS);
        assertTrue(reply.index() > index);
        assertEquals(1, reply.json().size());
    }

    @Test
    void healthQueryWakesOnACheckChange() throws Exception {
        consul.registerService("dc1", "node-1", "10.0.0.1", "signal-1", "signal", 443, Map.of(),
                List.of(CheckSpec.passing("signal-report")));
        Api.Reply first = api.get("/v1/health/service/signal?passing");
        assertEquals(1, first.json().size());
        CompletableFuture<Api.Reply> waiting = api.sendAsync("GET",
                "/v1/health/service/signal?passing&index=" + first.index() + "&wait=30s");
        awaitBlocked(1);
        consul.setCheck("dc1", "signal-1", "signal-report", "critical", "unhealthy");
        Api.Reply reply = waiting.get(5, TimeUnit.SECONDS);
        assertTrue(reply.index() > first.index());
        assertEquals(0, reply.json().size(), "no passing instance left");
    }

    @Test
    void manyConcurrentBlockingQueriesAllWake() throws Exception {
        api.put("/v1/kv/fanout", "0");
        long index = api.get("/v1/kv/fanout").index();
        int n = 64;
        CompletableFuture<?>[] all = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            all[i] = api.sendAsync("GET", "/v1/kv/fanout?index=" + index + "&wait=1m");
        }
        awaitBlocked(n);
        api.put("/v1/kv/fanout", "1");
        CompletableFuture.allOf(all).get(10, TimeUnit.SECONDS);
        for (CompletableFuture<?> f : all) {
            assertEquals("1", ((Api.Reply) f.get()).value());
        }
    }

    @Test
    void indexNeverGoesBackwardsUntilResetIndex() throws Exception {
        consul.sessionTtlMin(Duration.ofMillis(100));
        consul.registerService("dc1", "node-1", "10.0.0.1", "haproxy-1", "haproxy", 80, Map.of(), List.of());
        long last = 0;
        String session = api.session(null, "{\"LockDelay\":\"0s\"}");
        String[] steps = {
            "PUT /v1/kv/a", "PUT /v1/kv/b", "DELETE /v1/kv/a", "PUT /v1/kv/b?acquire=" + session,
            "PUT /v1/kv/c?cas=0", "DELETE /v1/kv/?recurse", "PUT /v1/kv/a", "PUT /v1/session/destroy/" + session,
        };
        for (String step : steps) {
            String[] parts = step.split(" ");
            api.send(parts[0], parts[1], "x");
            for (String read : List.of("/v1/kv/?recurse", "/v1/kv/a", "/v1/kv/b", "/v1/catalog/service/haproxy",
                    "/v1/session/list")) {
                long index = api.get(read).index();
                assertTrue(index >= 1, read);
            }
            long global = consul.index();
            assertTrue(global >= last, "raft index went from " + last + " to " + global);
            long kvIndex = api.get("/v1/kv/?recurse").index();
            assertTrue(kvIndex <= global);
            last = global;
        }
        long before = api.get("/v1/kv/a").index();
        CompletableFuture<Api.Reply> parked = api.sendAsync("GET", "/v1/kv/a?index=" + before + "&wait=1m");
        awaitBlocked(1);
        consul.resetIndex();
        Api.Reply released = parked.get(5, TimeUnit.SECONDS);
        assertTrue(released.index() < before, "a snapshot restore moves the index backwards: " + released.index());
        assertEquals(1, released.index());
        assertTrue(consul.index() < last);
        api.put("/v1/kv/a", "after restore");
        assertTrue(api.get("/v1/kv/a").index() > 1, "writes go on from the restored index");
    }
}
