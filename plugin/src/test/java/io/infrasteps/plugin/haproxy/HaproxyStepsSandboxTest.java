package io.infrasteps.plugin.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxProxy;
import io.infrasteps.sandbox.SandboxShard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The steps' executions against a real sandbox fleet (real HAProxy processes, runtime API over unix sockets and
 * TCP), through a fake step context: console lines, returned results and failures as a build would see them.
 */
class HaproxyStepsSandboxTest {

    static SandboxFleet fleet;
    static String unixYaml;
    static Seams seams;

    @BeforeAll
    static void startFleet() {
        fleet = SandboxFleet.builder().shardsPerRegion(2).start();
        unixYaml = fleet.siteYaml(SandboxFleet.Transport.UNIX);
        seams = new Seams().site("sandbox", unixYaml);
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    static HaproxyStatusStep statusStep(Consumer<HaproxyStatusStep> args) {
        HaproxyStatusStep step = new HaproxyStatusStep();
        args.accept(step);
        return step;
    }

    static SetHaproxyStep setStep(Consumer<SetHaproxyStep> args) {
        SetHaproxyStep step = new SetHaproxyStep();
        args.accept(step);
        return step;
    }

    /** Runs haproxyStatus as Jenkins would (start, then the execution's body), returning the result. */
    static HaproxyStatusResult status(HaproxyStatusStep step, FakeStepContext context, Seams s) throws Exception {
        step.start(context); // argument checks
        return s.status(step, context).run();
    }

    static HaproxyChangeResult set(SetHaproxyStep step, FakeStepContext context, Seams s) throws Exception {
        step.start(context);
        return s.set(step, context).run();
    }

    static String stateOf(String shard) throws Exception {
        HaproxyStatusResult r = status(statusStep(s -> s.setSite("sandbox")), new FakeStepContext(), seams);
        List<String> states = r.serversNamed(shard).stream().map(m -> (String) m.get("state")).distinct().toList();
        assertEquals(1, states.size(), "one state on every proxy and backend: " + r.serversNamed(shard));
        return states.get(0);
    }

    @Test
    void statusOfAConfiguredSitePrintsOneLinePerProxyAndReturnsEveryServer() throws Exception {
        FakeStepContext context = new FakeStepContext();
        HaproxyStatusResult result = status(statusStep(s -> s.setSite("sandbox")), context, seams);

        List<String> lines = context.lines();
        assertEquals("haproxyStatus: reading 2 proxies of site 'sandbox'", lines.get(0));
        for (SandboxProxy proxy : fleet.proxies()) {
            List<String> mine = lines.stream().filter(l -> l.startsWith("[" + proxy.region() + "/" + proxy.name() + "] ")).toList();
            assertEquals(1, mine.size(), "one line for " + proxy.name() + " in " + lines);
            assertTrue(mine.get(0).matches("\\[.*] 8 servers: 8 ready, 0 drain, 0 maint, 0 not running"), mine.get(0));
        }
        assertEquals("haproxyStatus: 16 servers on 2 of 2 proxies", lines.get(lines.size() - 1));
        assertEquals(4, lines.size(), lines.toString());

        assertTrue(result.isOk());
        assertEquals(2, result.getProxies().size());
        assertEquals(16, result.getServers().size());
        SandboxShard shard = fleet.shards().get(0);
        List<Map<String, Object>> rows = result.serversNamed(shard.name());
        assertEquals(4, rows.size(), "own backend and release backend on each of 2 proxies: " + rows);
        for (Map<String, Object> row : rows) {
            assertEquals("ready", row.get("state"));
            assertEquals(Boolean.TRUE, row.get("ready"));
            assertEquals("running", row.get("operational"));
        }
        assertTrue(result.getUnreachable().isEmpty());
    }

    @Test
    void regionsNarrowTheSiteAndUnknownRegionsAreNamed() throws Exception {
        FakeStepContext context = new FakeStepContext();
        HaproxyStatusResult result = status(statusStep(s -> {
            s.setSite("sandbox");
            s.setRegions(List.of("eu-frankfurt-1"));
        }), context, seams);
        assertEquals(1, result.getProxies().size());
        assertEquals("eu-frankfurt-1", result.getProxies().get(0).get("region"));
        assertEquals("haproxyStatus: reading 1 proxy of site 'sandbox' in eu-frankfurt-1", context.lines().get(0));

        AbortException e = assertThrows(AbortException.class, () -> status(statusStep(s -> {
            s.setSite("sandbox");
            s.setRegions(List.of("ap-tokyo-1"));
        }), new FakeStepContext(), seams));
        assertTrue(e.getMessage().startsWith("haproxyStatus: regions: names a region that site 'sandbox' does not have"), e.getMessage());
        assertTrue(e.getMessage().contains("us-ashburn-1") && e.getMessage().contains("eu-frankfurt-1"), e.getMessage());
    }

    @Test
    void unknownSiteIsAnErrorNamingTheArgument() {
        AbortException e = assertThrows(AbortException.class,
                () -> status(statusStep(s -> s.setSite("prod")), new FakeStepContext(), seams));
        assertTrue(e.getMessage().startsWith("haproxyStatus: site: names no configured site 'prod'"), e.getMessage());
    }

    @Test
    void explicitProxiesOverTcp() throws Exception {
        List<String> addresses = fleet.proxies().stream().map(SandboxProxy::tcpAddress).toList();
        FakeStepContext context = new FakeStepContext();
        HaproxyStatusResult result = status(statusStep(s -> s.setProxies(addresses)), context, seams);
        assertEquals(2, result.getProxies().size());
        assertEquals(addresses, result.getProxies().stream().map(p -> p.get("address")).toList());
        assertEquals("haproxyStatus: reading 2 proxies of the given proxies", context.lines().get(0));
        assertEquals(2, context.lines().stream().filter(l -> l.startsWith("[tcp://127.0.0.1:")).count(), context.console());
    }

    @Test
    void anUnreachableProxyFailsTheStepNamingItUnlessTolerated() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String dead = "tcp://127.0.0.1:" + closed;
        List<String> addresses = List.of(fleet.proxies().get(0).tcpAddress(), dead);

        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class, () -> status(statusStep(s -> s.setProxies(addresses)), context, seams));
        assertTrue(e.getMessage().startsWith("haproxyStatus: 8 servers on 1 of 2 proxies; 1 unreachable: " + dead), e.getMessage());
        assertTrue(e.getMessage().contains("tolerateFailures: true"), e.getMessage());
        assertTrue(context.lines().stream().anyMatch(l -> l.startsWith("[" + dead + "] unreachable: ")), context.console());

        FakeStepContext tolerant = new FakeStepContext();
        HaproxyStatusResult result = status(statusStep(s -> {
            s.setProxies(addresses);
            s.setTolerateFailures(true);
        }), tolerant, seams);
        assertFalse(result.isOk());
        assertEquals(1, result.getUnreachable().size());
        assertTrue(result.getUnreachable().get(0).startsWith(dead + ": "), result.getUnreachable().toString());
        assertEquals(8, result.getServers().size());
        assertTrue(tolerant.lines().get(tolerant.lines().size() - 1).endsWith("1 unreachable (tolerated)"), tolerant.console());
    }

    @Test
    void siteFileIsReadFromTheWorkspace(@TempDir Path workspace) throws Exception {
        Files.createDirectories(workspace.resolve("sites"));
        Files.writeString(workspace.resolve("sites/sandbox.yaml"), unixYaml);
        Seams withWorkspace = new Seams().workspace(workspace);
        FakeStepContext context = new FakeStepContext();
        HaproxyStatusResult result = status(statusStep(s -> s.setSiteFile("sites/sandbox.yaml")), context, withWorkspace);
        assertEquals(16, result.getServers().size());
        assertEquals("haproxyStatus: reading 2 proxies of site 'sandbox' (sites/sandbox.yaml)", context.lines().get(0));
    }

    @Test
    void siteFileCannotLeaveTheWorkspaceOrBeMissingOrBroken(@TempDir Path dir) throws Exception {
        Path workspace = Files.createDirectories(dir.resolve("ws"));
        Path outside = Files.writeString(dir.resolve("secret.yaml"), unixYaml);
        Files.createSymbolicLink(workspace.resolve("link.yaml"), outside);
        Files.createDirectories(workspace.resolve("sites"));
        Files.createSymbolicLink(workspace.resolve("sites/up"), dir);
        Files.writeString(workspace.resolve("bad.yaml"), "name: [unclosed");
        Files.write(workspace.resolve("latin1.yaml"), new byte[] {'n', 'a', 'm', 'e', ':', ' ', (byte) 0xe9});
        Files.createDirectories(workspace.resolve("adir"));
        Seams s = new Seams().workspace(workspace);
        Map<String, String> expected = Map.of(
                "link.yaml", "haproxyStatus: siteFile 'link.yaml': resolves (through a symbolic link) outside the workspace",
                "sites/up/secret.yaml", "haproxyStatus: siteFile 'sites/up/secret.yaml': resolves (through a symbolic link) outside the workspace",
                "missing.yaml", "haproxyStatus: siteFile 'missing.yaml': no such file in the workspace",
                "adir", "haproxyStatus: siteFile 'adir': is not a regular file",
                "latin1.yaml", "haproxyStatus: siteFile 'latin1.yaml': is not UTF-8 text",
                "bad.yaml", "haproxyStatus: siteFile 'bad.yaml': is not valid YAML at line 1");
        for (Map.Entry<String, String> c : expected.entrySet()) {
            AbortException e = assertThrows(AbortException.class,
                    () -> status(statusStep(x -> x.setSiteFile(c.getKey())), new FakeStepContext(), s), c.getKey());
            assertTrue(e.getMessage().startsWith(c.getValue()), e.getMessage());
            assertFalse(e.getMessage().contains(dir.toString()), "agent paths stay out of the message: " + e.getMessage());
        }
        AbortException noWorkspace = assertThrows(AbortException.class,
                () -> status(statusStep(x -> x.setSiteFile("sites/x.yaml")), new FakeStepContext(), new Seams()));
        assertTrue(noWorkspace.getMessage().startsWith("haproxyStatus: siteFile: needs a workspace"), noWorkspace.getMessage());
    }

    @Test
    void drainAShardThenReadyItAgainConvergingOnRerun() throws Exception {
        String shard = fleet.shards().get(1).name();
        try {
            FakeStepContext context = new FakeStepContext();
            HaproxyChangeResult drained = set(setStep(s -> {
                s.setSite("sandbox");
                s.setShard(shard);
                s.setState("drain");
            }), context, seams);
            assertTrue(drained.isOk());
            assertEquals(List.of("drain shard " + shard), drained.getOperations());
            assertEquals(2, drained.getChangedCount());
            assertEquals("setHaproxy: drain shard " + shard + " on 2 proxies of site 'sandbox'", context.lines().get(0));
            for (SandboxProxy proxy : fleet.proxies()) {
                List<String> mine = context.lines().stream().filter(l -> l.startsWith("[" + proxy.region() + "/" + proxy.name() + "] ")).toList();
                assertEquals(1, mine.size(), context.console());
                assertTrue(mine.get(0).contains("] changed: drain shard " + shard + ": ") && mine.get(0).endsWith("(verified)"), mine.get(0));
            }
            assertTrue(context.lines().get(context.lines().size() - 1)
                    .startsWith("setHaproxy: drain shard " + shard + ": 2 changed, 0 unchanged, 0 failed"), context.console());
            Map<String, Object> outcome = drained.getOutcomes().get(0);
            assertEquals("changed", outcome.get("result"));
            assertEquals(2, ((List<?>) outcome.get("details")).size(), "own backend and release backend: " + outcome);
            assertEquals("drain", stateOf(shard));

            HaproxyChangeResult again = set(setStep(s -> {
                s.setSite("sandbox");
                s.setShard(shard);
                s.setState("drain");
            }), new FakeStepContext(), seams);
            assertEquals(0, again.getChangedCount());
            assertEquals(2, again.getUnchangedCount());
        } finally {
            set(setStep(s -> {
                s.setSite("sandbox");
                s.setShard(shard);
                s.setState("ready");
            }), new FakeStepContext(), seams);
        }
        assertEquals("ready", stateOf(shard));
    }

    @Test
    void weightAndStateTogetherOnOneBackendServer() throws Exception {
        SandboxShard shard = fleet.shards().get(2);
        int before = (Integer) status(statusStep(s -> s.setSite("sandbox")), new FakeStepContext(), seams)
                .serversNamed(shard.name()).get(0).get("weight");
        try {
            HaproxyChangeResult r = set(setStep(s -> {
                s.setSite("sandbox");
                s.setBackend("release-1");
                s.setServer(shard.name());
                s.setWeight(7);
                s.setState("maint");
            }), new FakeStepContext(), seams);
            assertEquals(List.of("weight 7 release-1/" + shard.name(), "maint release-1/" + shard.name()), r.getOperations());
            assertEquals(4, r.getChangedCount());
            HaproxyStatusResult after = status(statusStep(s -> s.setSite("sandbox")), new FakeStepContext(), seams);
            for (Map<String, Object> row : after.serversNamed(shard.name())) {
                boolean release = row.get("backend").equals("release-1");
                assertEquals(release ? "maint" : "ready", row.get("state"), row.toString());
                assertEquals(release ? 7 : before, row.get("weight"), row.toString());
            }
        } finally {
            set(setStep(s -> {
                s.setSite("sandbox");
                s.setBackend("release-1");
                s.setServer(shard.name());
                s.setWeight(before);
                s.setState("ready");
            }), new FakeStepContext(), seams);
        }
    }

    @Test
    void aMissingServerFailsNamingTheProxies() {
        AbortException e = assertThrows(AbortException.class, () -> set(setStep(s -> {
            s.setSite("sandbox");
            s.setShard("sandbox-nowhere-s99");
            s.setState("drain");
        }), new FakeStepContext(), seams));
        assertTrue(e.getMessage().startsWith("setHaproxy: drain shard sandbox-nowhere-s99: 0 changed, 0 unchanged, 2 failed or refused of 2 proxies"),
                e.getMessage());
        for (SandboxProxy proxy : fleet.proxies()) {
            assertTrue(e.getMessage().contains("[" + proxy.region() + "/" + proxy.name()), e.getMessage());
        }
    }

    @Test
    void drainingTheLastReadyServerIsRefusedEverywhereUnlessForced() throws Exception {
        List<String> shards = fleet.shards().stream().map(SandboxShard::name).toList();
        try {
            for (String shard : shards.subList(0, 3)) {
                set(setStep(s -> {
                    s.setSite("sandbox");
                    s.setShard(shard);
                    s.setState("drain");
                }), new FakeStepContext(), seams);
            }
            String last = shards.get(3);
            FakeStepContext context = new FakeStepContext();
            AbortException e = assertThrows(AbortException.class, () -> set(setStep(s -> {
                s.setSite("sandbox");
                s.setShard(last);
                s.setState("drain");
            }), context, seams));
            assertTrue(e.getMessage().contains("would have no ready server left"), e.getMessage());
            assertTrue(context.lines().stream().filter(l -> l.contains("] refused: ")).count() >= 1, context.console());
            assertEquals("ready", stateOf(last), "a refused change touches no proxy");

            HaproxyChangeResult forced = set(setStep(s -> {
                s.setSite("sandbox");
                s.setShard(last);
                s.setState("drain");
                s.setForce(true);
            }), new FakeStepContext(), seams);
            assertEquals(2, forced.getChangedCount());
        } finally {
            for (String shard : shards) {
                set(setStep(s -> {
                    s.setSite("sandbox");
                    s.setShard(shard);
                    s.setState("ready");
                }), new FakeStepContext(), seams);
            }
        }
    }

    @Test
    void healthDownAndUpThroughTheSitesUpMap() throws Exception {
        try {
            FakeStepContext context = new FakeStepContext();
            HaproxyChangeResult down = set(setStep(s -> {
                s.setSite("sandbox");
                s.setRegions(List.of("us-ashburn-1"));
                s.setHealth("down");
            }), context, seams);
            assertEquals(1, down.getOutcomes().size());
            assertTrue(down.isOk());
            assertEquals("setHaproxy: health down on 1 proxy of site 'sandbox' in us-ashburn-1", context.lines().get(0));
            SandboxProxy proxy = fleet.proxies("us-ashburn-1").get(0);
            assertEquals("down", upValue(proxy));
            assertEquals("up", upValue(fleet.proxies("eu-frankfurt-1").get(0)), "other regions untouched");
        } finally {
            set(setStep(s -> {
                s.setSite("sandbox");
                s.setHealth("up");
            }), new FakeStepContext(), seams);
        }
        for (SandboxProxy proxy : fleet.proxies()) {
            assertEquals("up", upValue(proxy));
        }
    }

    /** What the cloud load balancer sees on the proxy's health frontend: "up" (200) or "down" (503). */
    static String upValue(SandboxProxy proxy) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.healthPort() + "/")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(r.body().equals("up") ? 200 : 503, r.statusCode(), r.body());
        return r.body();
    }

    @Test
    void healthOnExplicitProxiesNeedsAnUpMap() {
        AbortException e = assertThrows(AbortException.class, () -> set(setStep(s -> {
            s.setProxies(List.of(fleet.proxies().get(0).tcpAddress()));
            s.setHealth("down");
        }), new FakeStepContext(), seams));
        assertTrue(e.getMessage().startsWith("setHaproxy: upMap: is not configured for proxy"), e.getMessage());
    }

    @Test
    void resultsAreSerializable() throws Exception {
        HaproxyStatusResult status = status(statusStep(s -> s.setSite("sandbox")), new FakeStepContext(), seams);
        Object copy = SerializationCheck.roundTrip(status);
        assertEquals(status.getServers(), ((HaproxyStatusResult) copy).getServers());
        HaproxyChangeResult change = set(setStep(s -> {
            s.setSite("sandbox");
            s.setShard(fleet.shards().get(0).name());
            s.setState("ready");
        }), new FakeStepContext(), seams);
        assertEquals(change.getOutcomes(), ((HaproxyChangeResult) SerializationCheck.roundTrip(change)).getOutcomes());
        assertEquals(List.of(), status.getServers().stream().flatMap(m -> m.values().stream())
                .filter(v -> !(v instanceof String || v instanceof Number || v instanceof Boolean))
                .map(v -> v.getClass().getName()).collect(Collectors.toList()), "only strings, numbers and booleans");
    }
}
