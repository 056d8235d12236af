package io.infrasteps.cli;

import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxProxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... argv) {
        out.reset();
        err.reset();
        return Main.run(List.of(argv), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void hostileOptionsExitWithTwoNamingTheOption() {
        String[] hostile = {"", "a;b", "a\nb", "../etc", "a b", "x".repeat(10_000), "zürich"};
        for (String bad : hostile) {
            assertEquals(2, run("haproxy", "status", "--proxy", bad), bad);
            assertTrue(stderr().startsWith("error: --proxy[0]"), stderr());
            assertEquals(2, run("haproxy", "set-state", "--proxy", "tcp://127.0.0.1:1", "--shard", bad, "--state", "drain"));
            assertTrue(stderr().startsWith("error: shard:"), stderr());
            assertEquals(2, run("haproxy", "set-state", "--proxy", "tcp://127.0.0.1:1", "--shard", "s1", "--state", bad));
            assertTrue(stderr().startsWith("error: --state:"), stderr());
            assertEquals(2, run("haproxy", "set-weight", "--proxy", "tcp://127.0.0.1:1", "--shard", "s1", "--weight", bad));
            assertTrue(stderr().startsWith("error: --weight:"), stderr());
            assertEquals(2, run("haproxy", "set-live", "--proxy", "tcp://127.0.0.1:1", "--release", bad));
            assertTrue(stderr().startsWith("error: --release:"), stderr());
            assertEquals(2, run("haproxy", "set-health", "--proxy", "tcp://127.0.0.1:1", "--health", bad, "--up-map", "/m"));
            assertTrue(stderr().startsWith("error: --health:"), stderr());
            assertFalse(bad.length() > 3 && stderr().contains(bad), "echoed input");
        }
        assertEquals(2, run("haproxy", "status"));
        assertTrue(stderr().contains("--site"), stderr());
        assertEquals(2, run("haproxy", "status", "--proxy", "tcp://127.0.0.1:1", "--bogus", "x"));
        assertTrue(stderr().startsWith("error: --bogus: is not an option"), stderr());
        assertEquals(2, run("haproxy", "status", "--site", "/nonexistent/site.yaml"));
        assertTrue(stderr().startsWith("error: --site: cannot be read"), stderr());
    }

    @Test
    void statusAndSetStateAgainstRealHaproxy(@TempDir Path dir) throws Exception {
        try (SandboxFleet sandbox = SandboxFleet.builder().regions("us-ashburn-1", "eu-frankfurt-1").shardsPerRegion(1).start()) {
            Path site = dir.resolve("site.yaml");
            Files.writeString(site, sandbox.siteYaml(SandboxFleet.Transport.TCP));
            String shard = sandbox.shards().get(0).name();

            assertEquals(0, run("haproxy", "status", "--site", site.toString(), "--region", "eu-frankfurt-1"));
            assertTrue(stdout().startsWith("REGION"), stdout());
            assertEquals(4, stdout().lines().filter(l -> l.startsWith("eu-frankfurt-1")).count(), stdout());

            assertEquals(0, run("haproxy", "set-state", "--site", site.toString(), "--shard", shard, "--state", "drain"));
            assertTrue(stdout().contains("2 changed, 0 unchanged, 0 failed"), stdout());

            List<String> proxies = new ArrayList<>();
            for (SandboxProxy proxy : sandbox.proxies()) {
                proxies.add("--proxy");
                proxies.add(proxy.tcpAddress());
            }
            List<String> argv = new ArrayList<>(List.of("haproxy", "set-state", "--shard", shard, "--state", "ready"));
            argv.addAll(proxies);
            assertEquals(0, run(argv.toArray(String[]::new)));
            assertTrue(stdout().contains("ready shard " + shard + ": 2 changed"), stdout());

            sandbox.proxies().get(1).kill();
            assertEquals(1, run("haproxy", "set-weight", "--site", site.toString(), "--shard", shard, "--weight", "3"));
            assertTrue(stderr().contains(sandbox.proxies().get(1).name()) && stderr().contains("connection refused"), stderr());
            assertEquals(0, run("haproxy", "set-weight", "--site", site.toString(), "--shard", shard, "--weight", "3", "--tolerate-failures"));
        }
    }
}
