package io.infrasteps.sandbox.consul;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionLockTest {
    private static final String NO_DELAY = "{\"Name\":\"t\",\"LockDelay\":\"0s\"}";

    private SandboxConsul consul;
    private Api api;

    @BeforeEach
    void start() {
        consul = SandboxConsul.start("dc1", "dc2");
        api = new Api(consul);
    }

    @AfterEach
    void stop() {
        consul.close();
    }

    @Test
    void acquireAndReleaseFollowConsul() {
        String a = api.session(null, NO_DELAY);
        String b = api.session(null, NO_DELAY);
        String key = "/v1/kv/locks/stage/haproxy-state-stage";

        assertEquals("true", api.put(key + "?acquire=" + a, "holder-a").body());
        JsonNode locked = api.get(key).json().get(0);
        assertEquals(a, locked.get("Session").asText());
        assertEquals(1, locked.get("LockIndex").asLong());

        assertEquals("false", api.put(key + "?acquire=" + b, "holder-b").body(), "held by another session");
        assertEquals("holder-a", consul.kv("dc1", "locks/stage/haproxy-state-stage"));

        assertEquals("true", api.put(key + "?acquire=" + a, "holder-a2").body(), "the holder may re-acquire and update");
        JsonNode reacquired = api.get(key).json().get(0);
        assertEquals(1, reacquired.get("LockIndex").asLong(), "re-acquire by the holder does not count");
        assertEquals("holder-a2", consul.kv("dc1", "locks/stage/haproxy-state-stage"));

        assertEquals("false", api.put(key + "?release=" + b, null).body(), "only the holder releases");
        assertEquals(a, consul.kvLockHolder("dc1", "locks/stage/haproxy-state-stage"));
        assertEquals("true", api.put(key + "?release=" + a, "released-by-a").body());
        JsonNode released = api.get(key).json().get(0);
        assertFalse(released.has("Session"));
        assertEquals(1, released.get("LockIndex").asLong());
        assertEquals("released-by-a", consul.kv("dc1", "locks/stage/haproxy-state-stage"),
                "Consul stores the release body as the value");

        assertEquals("true", api.put(key + "?acquire=" + b, "holder-b").body());
        assertEquals(2, api.get(key).json().get(0).get("LockIndex").asLong());
        assertEquals("false", api.put("/v1/kv/never-written?release=" + b, null).body());
    }

    @Test
    void releaseWithoutBodyClearsTheValueAsConsulDoes() {
        String s = api.session(null, NO_DELAY);
        api.put("/v1/kv/locks/x?acquire=" + s, "who holds it");
        api.put("/v1/kv/locks/x?release=" + s, null);
        assertNull(api.get("/v1/kv/locks/x").value());
    }

    @Test
    void acquireWithUnknownSessionIs500() {
        Api.Reply r = api.put("/v1/kv/locks/x?acquire=00000000-0000-0000-0000-000000000000", "v");
        assertEquals(500, r.status());
        assertEquals("invalid session \"00000000-0000-0000-0000-000000000000\"", r.body());
        assertNull(consul.kv("dc1", "locks/x"));
    }

    @Test
    void ttlExpiryReleasesTheLockAndWakesBlockingQueries() {
        consul.sessionTtlMin(Duration.ofMillis(100));
        String s = api.session(null, "{\"Name\":\"lock\",\"TTL\":\"300ms\",\"LockDelay\":\"0s\"}");
        long created = System.nanoTime();
        assertEquals("true", api.put("/v1/kv/locks/ttl?acquire=" + s, "mine").body());
        long index = api.get("/v1/kv/locks/ttl").index();

        // Wait for the expiry with a blocking query on the key, not a sleep.
        Api.Reply after = api.get("/v1/kv/locks/ttl?index=" + index + "&wait=10s");
        long elapsedMs = (System.nanoTime() - created) / 1_000_000;
        assertTrue(after.index() > index);
        assertFalse(after.json().get(0).has("Session"), "expiry released the lock");
        assertEquals("mine", after.value(), "release behavior keeps the value");
        assertTrue(elapsedMs >= 250, "expired after about the TTL, got " + elapsedMs + " ms");
        assertTrue(elapsedMs < 5000, "expired after " + elapsedMs + " ms");
        assertEquals("[]", api.get("/v1/session/info/" + s).body());
        assertEquals(404, api.put("/v1/session/renew/" + s, null).status());
        assertEquals(500, api.put("/v1/kv/locks/ttl?acquire=" + s, "again").status(), "the session is gone");
    }

    @Test
    void renewKeepsTheSessionAlive() throws Exception {
        consul.sessionTtlMin(Duration.ofMillis(100));
        String s = api.session(null, "{\"TTL\":\"400ms\",\"LockDelay\":\"0s\"}");
        long deadline = System.nanoTime() + Duration.ofMillis(1200).toNanos();
        // Renew on every session-table change notification or every 100ms of blocking wait, well within the TTL.
        long index = api.get("/v1/session/list").index();
        while (System.nanoTime() < deadline) {
            Api.Reply renew = api.put("/v1/session/renew/" + s, null);
            assertEquals(200, renew.status(), "renewed before the TTL");
            assertEquals(s, renew.json().get(0).get("ID").asText());
            assertEquals("400ms", renew.json().get(0).get("TTL").asText());
            Api.Reply list = api.get("/v1/session/list?index=" + index + "&wait=100ms");
            assertEquals(index, list.index(), "no session change while renewing");
        }
        assertTrue(consul.sessions("dc1").contains(s));
        Api.Reply unknown = api.put("/v1/session/renew/11111111-2222-3333-4444-555555555555", null);
        assertEquals(404, unknown.status());
        assertEquals("Session id '11111111-2222-3333-4444-555555555555' not found", unknown.body());
    }

    @Test
    void destroyReleasesLocksAndDeleteBehaviorDeletesKeys() {
        String release = api.session(null, NO_DELAY);
        String delete = api.session(null, "{\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");
        api.put("/v1/kv/locks/r?acquire=" + release, "r");
        api.put("/v1/kv/locks/d?acquire=" + delete, "d");
        JsonNode info = api.get("/v1/session/info/" + delete).json().get(0);
        assertEquals("delete", info.get("Behavior").asText());
        assertEquals(consul.agentNode(), info.get("Node").asText());

        assertEquals("true", api.put("/v1/session/destroy/" + release, null).body());
        assertNull(consul.kvLockHolder("dc1", "locks/r"));
        assertEquals("r", consul.kv("dc1", "locks/r"));

        assertTrue(consul.expireSession("dc1", delete));
        assertEquals(404, api.get("/v1/kv/locks/d").status(), "delete behavior removes the held keys");
        assertEquals("true", api.put("/v1/session/destroy/" + delete, null).body(), "destroying twice is fine");
    }

    @Test
    void lockDelayBlocksReacquireAfterInvalidation() {
        String s1 = api.session(null, "{\"Name\":\"default lock delay 15s\"}");
        api.put("/v1/kv/locks/delay?acquire=" + s1, "one");
        consul.expireSession("dc1", s1);
        String s2 = api.session(null, NO_DELAY);
        assertEquals("false", api.put("/v1/kv/locks/delay?acquire=" + s2, "two").body(), "within the 15s lock-delay");
        assertEquals("one", consul.kv("dc1", "locks/delay"));
    }

    @Test
    void ttlOutsideTheAllowedRangeIsRejectedLikeConsul() {
        Api.Reply shortTtl = api.put("/v1/session/create", "{\"TTL\":\"5s\"}");
        assertEquals(500, shortTtl.status());
        assertEquals("Invalid Session TTL '5000000000', must be between [10s=24h0m0s]", shortTtl.body());
        assertEquals(500, api.put("/v1/session/create", "{\"TTL\":\"25h\"}").status());
        Api.Reply bad = api.put("/v1/session/create", "{\"TTL\":\"soon\"}");
        assertEquals("Session TTL 'soon' invalid: time: invalid duration \"soon\"", bad.body());
        assertEquals(500, api.put("/v1/session/create", "{\"Behavior\":\"explode\"}").status());
        assertEquals(400, api.put("/v1/session/create", "{not json").status());
        assertEquals(200, api.put("/v1/session/create", "{\"TTL\":\"15s\"}").status());
        assertEquals(405, api.get("/v1/session/create").status());
    }

    @Test
    void sessionsInAnotherDatacenterNeedTheNodeRegisteredThere() {
        Api.Reply remote = api.put("/v1/session/create?dc=dc2", "{\"TTL\":\"15s\"}");
        assertEquals(500, remote.status());
        assertEquals("rpc error making call: Missing node registration", remote.body());

        consul.registerNode("dc2", consul.agentNode(), "127.0.0.2");
        Api.Reply noSerf = api.put("/v1/session/create?dc=dc2", "{\"TTL\":\"15s\"}");
        assertEquals("rpc error making call: Missing check 'serfHealth' registration", noSerf.body());

        consul.setNodeCheck("dc2", consul.agentNode(), "serfHealth", "passing", "");
        String s = api.session("dc2", "{\"TTL\":\"15s\",\"LockDelay\":\"0s\"}");
        assertEquals("true", api.put("/v1/kv/locks/x?dc=dc2&acquire=" + s, "v").body());
        Api.Reply wrongDc = api.put("/v1/kv/locks/x?acquire=" + s, "v");
        assertEquals(500, wrongDc.status(), "sessions belong to one datacenter");
        assertTrue(wrongDc.body().startsWith("invalid session"));
    }

    @Test
    void criticalNodeCheckInvalidatesItsSessions() {
        String s = api.session(null, NO_DELAY);
        api.put("/v1/kv/locks/serf?acquire=" + s, "v");
        consul.setNodeCheck("dc1", consul.agentNode(), "serfHealth", "critical", "agent unreachable");
        assertNull(consul.kvLockHolder("dc1", "locks/serf"));
        assertFalse(consul.sessions("dc1").contains(s));
    }
}
