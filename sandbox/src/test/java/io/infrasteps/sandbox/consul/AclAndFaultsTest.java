package io.infrasteps.sandbox.consul;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AclAndFaultsTest {
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

    @Test
    void aclRequiresTheTokenHeader() {
        consul.requireToken("s3cret-token");
        Api.Reply none = api.put("/v1/kv/k", "v");
        assertEquals(403, none.status());
        assertEquals("Permission denied", none.body());
        Api.Reply wrong = new Api(consul).token("wrong").get("/v1/kv/k");
        assertEquals(403, wrong.status());
        assertEquals("ACL not found", wrong.body());
        assertNull(consul.kv("dc1", "k"));

        Api authorized = new Api(consul).token("s3cret-token");
        assertEquals("true", authorized.put("/v1/kv/k", "v").body());
        assertEquals("v", authorized.get("/v1/kv/k").value());
        assertEquals(200, api.get("/v1/catalog/datacenters").status(), "listing datacenters needs no token");
        assertEquals(403, api.get("/v1/health/service/signal").status());
        assertEquals(403, api.put("/v1/session/create", "{}").status());
        assertFalse(consul.tokenSeenInUrl());
    }

    @Test
    void tokenInTheUrlIsNeverAcceptedAndIsFlagged() {
        consul.requireToken("s3cret-token");
        Api.Reply r = api.get("/v1/kv/k?token=s3cret-token");
        assertEquals(403, r.status(), "?token= must not authorize");
        assertTrue(consul.tokenSeenInUrl());
        for (String line : consul.requests()) {
            assertFalse(line.contains("s3cret-token"), line);
        }
        assertTrue(consul.requests().contains("GET /v1/kv/k?token=<hidden>"), consul.requests().toString());
    }

    @Test
    void requestsAreRecordedWithoutHeaderValuesAndCounted() {
        new Api(consul).token("header-secret").put("/v1/kv/locks/a", "v");
        api.get("/v1/kv/locks/a");
        api.get("/v1/catalog/datacenters");
        assertEquals(List.of("PUT /v1/kv/locks/a", "GET /v1/kv/locks/a", "GET /v1/catalog/datacenters"), consul.requests());
        assertEquals(3, consul.requestCount());
        assertEquals(2, consul.requestCount("/v1/kv/locks/"));
        assertEquals(1, consul.requestCount("/v1/catalog"));
        consul.clearRequests();
        assertEquals(0, consul.requestCount());
    }

    @Test
    void failNextFailsWithoutApplying() {
        consul.faults().failNext(2, 500);
        Api.Reply first = api.put("/v1/kv/k", "v1");
        assertEquals(500, first.status());
        assertEquals(500, api.get("/v1/kv/k").status());
        assertNull(consul.kv("dc1", "k"), "a failed write is not applied");
        assertEquals("true", api.put("/v1/kv/k", "v2").body());
        assertEquals("v2", consul.kv("dc1", "k"));
        assertEquals(2, consul.faults().injected());
    }

    @Test
    void failRateIsDeterministicPerSeedAnd429CarriesRetryAfter() {
        List<Integer> firstRun = statuses(7, 0.2, 429, 100);
        List<Integer> secondRun = statuses(7, 0.2, 429, 100);
        assertEquals(firstRun, secondRun, "same seed, same faults");
        long failures = firstRun.stream().filter(s -> s == 429).count();
        assertTrue(failures >= 8 && failures <= 35, "about 20% failed: " + failures);
        assertTrue(firstRun.stream().allMatch(s -> s == 200 || s == 404 || s == 429));

        consul.faults().seed(1).failRate(1.0, 429);
        Api.Reply limited = api.get("/v1/kv/k");
        assertEquals(429, limited.status());
        assertEquals("0", limited.headers().firstValue("Retry-After").orElse(""));
        consul.faults().failRate(1.0, 503);
        assertEquals(503, api.get("/v1/kv/k").status());
        assertTrue(api.get("/v1/kv/k").headers().firstValue("Retry-After").isEmpty());
        consul.faults().clear();
        assertEquals(404, api.get("/v1/kv/k").status());
    }

    private List<Integer> statuses(long seed, double rate, int status, int n) {
        consul.faults().seed(seed).failRate(rate, status);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(api.get("/v1/kv/k").status());
        }
        consul.faults().clear();
        return out;
    }

    @Test
    void latencyDelaysEveryRequest() {
        consul.faults().latency(Duration.ofMillis(150));
        long start = System.nanoTime();
        assertEquals("true", api.put("/v1/kv/slow", "v").body());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(elapsedMs >= 150, "took " + elapsedMs + " ms");
    }

    @Test
    void droppedConnectionsGetNoResponseAndAreNotApplied() {
        consul.faults().dropConnections(1.0);
        Api fresh = new Api(consul, Api.newClient());
        assertThrows(IOException.class, () -> fresh.sendRaw("PUT", "/v1/kv/dropped", "v"));
        assertNull(consul.kv("dc1", "dropped"));
        consul.faults().dropConnections(0);
        assertEquals("true", api.put("/v1/kv/dropped", "v").body());
    }

    @Test
    void lostLeaderAnswers500NoClusterLeader() {
        consul.faults().lostLeader(true);
        Api.Reply r = api.get("/v1/kv/k");
        assertEquals(500, r.status());
        assertEquals("No cluster leader", r.body());
        assertEquals(500, api.put("/v1/kv/k", "v").status());
        assertNull(consul.kv("dc1", "k"));
        consul.faults().lostLeader(false);
        assertEquals(404, api.get("/v1/kv/k").status());
    }

    @Test
    void failAfterApplyAppliesTheWriteThenDropsTheConnection() throws Exception {
        consul.faults().failAfterApply(1);
        Api fresh = new Api(consul, Api.newClient());
        assertThrows(IOException.class, () -> fresh.sendRaw("PUT", "/v1/kv/releases/stage/live?cas=0", "release-5"));
        assertEquals("release-5", consul.kv("dc1", "releases/stage/live"), "the write happened although the client saw an error");
        // A client that re-reads after an uncertain write finds it applied; a blind CAS retry would answer false.
        assertEquals("false", api.put("/v1/kv/releases/stage/live?cas=0", "release-5").body());
        assertEquals("release-5", api.get("/v1/kv/releases/stage/live").value());
        assertEquals(200, fresh.sendRaw("GET", "/v1/kv/releases/stage/live", null).status(), "reads are not affected");
    }

    @Test
    void faultArgumentsAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> consul.faults().failNext(1, 200));
        assertThrows(IllegalArgumentException.class, () -> consul.faults().failRate(1.5, 500));
        assertThrows(IllegalArgumentException.class, () -> consul.faults().dropConnections(-0.1));
        assertThrows(IllegalArgumentException.class, () -> SandboxConsul.start("dc1", "dc1"));
    }
}
