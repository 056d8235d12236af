package io.infrasteps.sandbox.consul;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KvTest {
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
    void putThenGetReturnsEntryWithIndexesAndBase64Value() {
        Api.Reply put = api.put("/v1/kv/shard-states/stage/s1?flags=42", "ready");
        assertEquals(200, put.status());
        assertEquals("true", put.body());
        assertTrue(put.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));

        Api.Reply get = api.get("/v1/kv/shard-states/stage/s1");
        assertEquals(200, get.status());
        JsonNode entry = get.json().get(0);
        assertEquals("shard-states/stage/s1", entry.get("Key").asText());
        assertEquals(42, entry.get("Flags").asLong());
        assertEquals(0, entry.get("LockIndex").asLong());
        assertEquals("cmVhZHk=", entry.get("Value").asText());
        assertEquals("ready", get.value());
        assertFalse(entry.has("Session"));
        assertEquals(entry.get("ModifyIndex").asLong(), get.index(), "X-Consul-Index of a key is its ModifyIndex");
        assertEquals(entry.get("CreateIndex").asLong(), entry.get("ModifyIndex").asLong());

        api.put("/v1/kv/shard-states/stage/s1", "drain");
        JsonNode updated = api.get("/v1/kv/shard-states/stage/s1").json().get(0);
        assertEquals(entry.get("CreateIndex").asLong(), updated.get("CreateIndex").asLong());
        assertTrue(updated.get("ModifyIndex").asLong() > entry.get("ModifyIndex").asLong());
        assertEquals(0, updated.get("Flags").asLong(), "a PUT without ?flags stores flags 0");
    }

    @Test
    void missingKeyIs404WithANonZeroIndex() {
        Api.Reply fresh = api.get("/v1/kv/nothing/here");
        assertEquals(404, fresh.status());
        assertEquals("", fresh.body());
        assertEquals(1, fresh.index(), "never 0, even on an empty store");

        api.put("/v1/kv/other", "x");
        long afterWrite = api.get("/v1/kv/other").index();
        Api.Reply missing = api.get("/v1/kv/nothing/here");
        assertEquals(404, missing.status());
        assertEquals(afterWrite, missing.index(), "a missing key answers the KV table index");
    }

    @Test
    void emptyValueIsNull() {
        api.put("/v1/kv/empty", null);
        assertNull(api.get("/v1/kv/empty").value());
        assertEquals("", consul.kv("dc1", "empty"));
    }

    @Test
    void casZeroCreatesOnlyAndCasNMatchesModifyIndex() {
        assertEquals("true", api.put("/v1/kv/releases/stage/live?cas=0", "release-1").body());
        assertEquals("false", api.put("/v1/kv/releases/stage/live?cas=0", "release-2").body(), "cas=0 only creates");
        assertEquals("release-1", consul.kv("dc1", "releases/stage/live"));

        long modify = api.get("/v1/kv/releases/stage/live").json().get(0).get("ModifyIndex").asLong();
        assertEquals("false", api.put("/v1/kv/releases/stage/live?cas=" + (modify - 1), "stale").body());
        assertEquals("true", api.put("/v1/kv/releases/stage/live?cas=" + modify, "release-3").body());
        assertEquals("false", api.put("/v1/kv/releases/stage/live?cas=" + modify, "again").body(), "index moved on");
        assertEquals("release-3", consul.kv("dc1", "releases/stage/live"));

        assertEquals("false", api.put("/v1/kv/absent?cas=5", "x").body(), "cas=N on a missing key fails");
        assertNull(consul.kv("dc1", "absent"));
    }

    @Test
    void failedCasStillBumpsTheRaftIndexButNotTheKey() {
        api.put("/v1/kv/k", "v");
        long modify = api.get("/v1/kv/k").index();
        long before = consul.index();
        assertEquals("false", api.put("/v1/kv/k?cas=0", "w").body());
        assertTrue(consul.index() > before, "the raft log grows even when the CAS fails");
        assertEquals(modify, api.get("/v1/kv/k").index());
    }

    @Test
    void identicalPutKeepsModifyIndex() {
        api.put("/v1/kv/same", "v");
        long modify = api.get("/v1/kv/same").index();
        api.put("/v1/kv/same", "v");
        assertEquals(modify, api.get("/v1/kv/same").index());
    }

    @Test
    void deleteWithCas() {
        api.put("/v1/kv/d", "v");
        long modify = api.get("/v1/kv/d").index();
        assertEquals("false", api.delete("/v1/kv/d?cas=" + (modify + 100)).body());
        assertEquals("v", consul.kv("dc1", "d"));
        assertEquals("true", api.delete("/v1/kv/d?cas=" + modify).body());
        assertNull(consul.kv("dc1", "d"));
        assertEquals("true", api.delete("/v1/kv/d?cas=7").body(), "Consul answers true for a CAS delete of a missing key");
        assertEquals("true", api.delete("/v1/kv/never").body());
    }

    @Test
    void recurseListsSortedWithPrefixIndexAndTombstones() {
        api.put("/v1/kv/shard-test/stage/b", "2");
        api.put("/v1/kv/shard-test/stage/a", "1");
        api.put("/v1/kv/shard-test/stagex", "not under stage/");
        api.put("/v1/kv/elsewhere", "e");
        long elsewhere = api.get("/v1/kv/elsewhere").index();

        Api.Reply list = api.get("/v1/kv/shard-test/stage/?recurse");
        assertEquals(200, list.status());
        List<String> keys = new ArrayList<>();
        long maxModify = 0;
        for (JsonNode e : list.json()) {
            keys.add(e.get("Key").asText());
            maxModify = Math.max(maxModify, e.get("ModifyIndex").asLong());
        }
        assertEquals(List.of("shard-test/stage/a", "shard-test/stage/b"), keys);
        assertEquals(maxModify, list.index(), "highest ModifyIndex under the prefix");
        assertTrue(list.index() < elsewhere, "writes outside the prefix do not count");

        assertEquals("true", api.delete("/v1/kv/shard-test/stage/b").body());
        long deleteIndex = consul.index();
        Api.Reply afterDelete = api.get("/v1/kv/shard-test/stage/?recurse");
        assertEquals(1, afterDelete.json().size());
        assertEquals(deleteIndex, afterDelete.index(), "the delete's tombstone lifts the prefix index");

        assertEquals("true", api.delete("/v1/kv/shard-test/stage/?recurse").body());
        Api.Reply empty = api.get("/v1/kv/shard-test/stage/?recurse");
        assertEquals(404, empty.status());
        assertTrue(empty.index() >= deleteIndex);
        assertEquals("not under stage/", consul.kv("dc1", "shard-test/stagex"));
    }

    @Test
    void keysWithSeparator() {
        api.put("/v1/kv/pool-states/stage/p1", "a");
        api.put("/v1/kv/pool-states/stage/deep/p2", "b");
        Api.Reply keys = api.get("/v1/kv/pool-states/stage/?keys&separator=/");
        assertEquals("[\"pool-states/stage/deep/\",\"pool-states/stage/p1\"]", keys.body());
        assertEquals(404, api.get("/v1/kv/none/?keys").status());
    }

    @Test
    void rawReturnsTheBytes() {
        api.put("/v1/kv/releases/stage/7/details", "{\"n\":7}");
        Api.Reply raw = api.get("/v1/kv/releases/stage/7/details?raw");
        assertEquals("{\"n\":7}", raw.body());
        assertTrue(raw.index() > 0);
    }

    @Test
    void conflictingFlagsAndBadInputAre400s() {
        Api.Reply conflict = api.put("/v1/kv/x?cas=0&acquire=abc", "v");
        assertEquals(400, conflict.status());
        assertTrue(conflict.body().startsWith("Conflicting flags: acquire=abc&cas=0"), conflict.body());
        assertEquals(400, api.delete("/v1/kv/x?cas=0&recurse").status());
        assertEquals(400, api.put("/v1/kv/", "v").status());
        assertEquals("Missing key name", api.get("/v1/kv/").body());
        Api.Reply badCas = api.put("/v1/kv/x?cas=abc", "v");
        assertEquals(500, badCas.status());
        assertEquals("strconv.ParseUint: parsing \"abc\": invalid syntax", badCas.body());
        assertEquals(405, api.send("POST", "/v1/kv/x", "v").status());
        Api.Reply tooBig = api.put("/v1/kv/big", "x".repeat(512 * 1024 + 1));
        assertEquals(413, tooBig.status());
        assertNull(consul.kv("dc1", "big"));
    }

    @Test
    void pathTraversalIsRejected() {
        Api.Reply r = api.get("/v1/kv/a%2F..%2Fb");
        assertEquals(400, r.status(), r.body());
    }

    @Test
    void datacentersHaveSeparateStores() {
        api.put("/v1/kv/releases/stage/live?dc=dc2", "release-9");
        assertEquals(404, api.get("/v1/kv/releases/stage/live").status());
        assertEquals("release-9", api.get("/v1/kv/releases/stage/live?dc=dc2").value());
        assertEquals("release-9", consul.kv("dc2", "releases/stage/live"));
        Api.Reply unknown = api.get("/v1/kv/releases/stage/live?dc=dc9");
        assertEquals(500, unknown.status());
        assertEquals("No path to datacenter", unknown.body());
        assertEquals(500, api.put("/v1/kv/x?dc=dc9", "v").status());
    }
}
