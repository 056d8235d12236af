package io.infrasteps.cli;

import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.ShardRegistrations;
import io.infrasteps.sandbox.consul.SandboxConsul;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardCommandTest {
    private static SandboxFleet fleet;
    private static SandboxConsul consul;
    private static ShardRegistrations registrations;
    private static Path site;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void start() throws IOException {
        fleet = SandboxFleet.builder().environment("stage-c").regions("us-ashburn-1", "eu-frankfurt-1").shardsPerRegion(1).start();
        consul = SandboxConsul.start(fleet.datacenters().toArray(String[]::new));
        consul.sessionTtlMin(Duration.ofMillis(100));
        registrations = ShardRegistrations.register(fleet, consul);
        site = Files.createTempFile("site", ".yaml");
        Files.writeString(site, fleet.siteYaml(SandboxFleet.Transport.TCP, consul.uri()));
    }

    @AfterAll
    static void stop() throws IOException {
        consul.close();
        fleet.close();
        Files.deleteIfExists(site);
    }

    private int run(String... argv) {
        out.reset();
        err.reset();
        return Main.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void validateWaitSetStateAndGa() {
        String shard = fleet.shards().get(1).name();
        assertEquals(0, run("shard", "validate", "--site", site.toString(), "--shard", shard, "--build-number", "12"), err.toString());
        assertTrue(out.toString().contains(shard + ": passed"), out.toString());

        registrations.setHealthy(shard, false);
        assertEquals(1, run("shard", "validate", "--site", site.toString(), "--shard", shard));
        assertEquals(1, run("shard", "wait", "--site", site.toString(), "--release", "1", "--timeout-seconds", "1"));
        assertTrue(out.toString().contains("not healthy:") && out.toString().contains(shard), out.toString());
        assertEquals(1, run("release", "ga", "--site", site.toString(), "--release", "1"));
        assertTrue(err.toString().contains("unhealthy shards [" + shard + "]"), err.toString());
        registrations.setHealthy(shard, true);
        assertEquals(0, run("shard", "wait", "--site", site.toString(), "--shard", shard, "--timeout-seconds", "5"));

        assertEquals(0, run("shard", "set-state", "--site", site.toString(), "--shard", shard, "--state", "drain"), err.toString());
        assertEquals("drain", consul.kv("stage-c-eu-frankfurt-1", "shard-states/stage-c/" + shard));
        assertEquals(0, run("shard", "set-state", "--site", site.toString(), "--shard", shard, "--state", "ready"), err.toString());
        assertEquals(0, run("release", "ga", "--site", site.toString(), "--release", "1"), err.toString());
        assertEquals("release-1", consul.kv("stage-c-us-ashburn-1", "releases/stage-c/live"));
        assertTrue(consul.sessions("stage-c-us-ashburn-1").isEmpty(), "lock released");
    }

    @Test
    void hostileValuesNameTheOptionBeforeAnyRequest() {
        long before = consul.requestCount();
        for (String bad : new String[] {"", "a;b", "a\nb", "../etc", "a b", "x".repeat(10_000), "zürich", "stage-x-us-ashburn-1-s1"}) {
            assertEquals(2, run("shard", "validate", "--site", site.toString(), "--shard", bad));
            assertTrue(err.toString().startsWith("error: --shard[0]:"), err.toString());
            assertFalse(bad.length() > 3 && err.toString().contains(bad), "echoed input");
            assertEquals(2, run("release", "ga", "--site", site.toString(), "--release", bad));
            assertTrue(err.toString().startsWith("error: --release:"), err.toString());
            assertEquals(2, run("shard", "wait", "--site", site.toString(), "--shard", fleet.shards().get(0).name(), "--timeout-seconds", bad));
            assertTrue(err.toString().startsWith("error: --timeout-seconds:"), err.toString());
        }
        assertEquals(2, run("release", "ga", "--site", site.toString(), "--release", "0"));
        assertEquals(2, run("shard", "set-state", "--site", site.toString(), "--shard", fleet.shards().get(0).name(), "--state", "maint"));
        assertEquals(before, consul.requestCount(), "nothing reached Consul");
    }
}
