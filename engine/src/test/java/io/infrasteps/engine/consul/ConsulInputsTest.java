package io.infrasteps.engine.consul;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.HostileValues;
import io.infrasteps.engine.common.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Hostile keys, datacenters and sessions never reach a URL; the index rules follow Consul's docs. */
class ConsulInputsTest {
    // Port 9 (discard) on loopback: nothing must ever be sent, validation fails first.
    private final ConsulClient client = new ConsulClient(URI.create("http://127.0.0.1:9"), "token-value".toCharArray(),
            RetryPolicy.none(), Duration.ofSeconds(1));

    @Test
    void hostileValuesAreRejectedNamingTheParameter() {
        for (String bad : HostileValues.all()) {
            Cancellation c = Cancellation.create();
            assertEquals("key", assertThrows(InvalidInputException.class, () -> client.get("dc1", "shard-states/" + bad, 0, null, c)).field());
            assertEquals("key", assertThrows(InvalidInputException.class, () -> client.put("dc1", bad, "v", null, c)).field());
            assertEquals("datacenter", assertThrows(InvalidInputException.class, () -> client.get(bad, "a/b", 0, null, c)).field());
            assertEquals("session", assertThrows(InvalidInputException.class, () -> client.acquire("dc1", "a", "v", bad, c)).field());
            assertEquals("service", assertThrows(InvalidInputException.class,
                    () -> client.healthService("dc1", bad, null, false, 0, null, c)).field());
        }
        assertEquals("key", assertThrows(InvalidInputException.class, () -> ConsulPaths.key("key", "a//b")).field());
        assertEquals("key", assertThrows(InvalidInputException.class, () -> ConsulPaths.key("key", "a/../b")).field());
        assertEquals("consul", assertThrows(InvalidInputException.class,
                () -> new ConsulClient(URI.create("ftp://x"), null, RetryPolicy.none(), Duration.ofSeconds(1))).field());
    }

    @Test
    void blockingIndexResetsWhenItGoesBackwards() {
        assertEquals(0, ConsulClient.nextIndex(0, 0));
        assertEquals(12, ConsulClient.nextIndex(10, 12));
        assertEquals(10, ConsulClient.nextIndex(10, 10));
        assertEquals(0, ConsulClient.nextIndex(10, 3), "went backwards: start over");
    }

    @Test
    void theTokenNeverShows() {
        assertFalse(client.toString().contains("token-value"));
    }
}
