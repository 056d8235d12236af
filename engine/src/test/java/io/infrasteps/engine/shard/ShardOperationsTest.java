package io.infrasteps.engine.shard;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.consul.RetryPolicy;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.FleetOperationException;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.release.ReleaseGa;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.RuntimeApiProbe;
import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxProxy;
import io.infrasteps.sandbox.SandboxShard;
import io.infrasteps.sandbox.ShardRegistrations;
import io.infrasteps.sandbox.consul.SandboxConsul;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Validation, health waits, shard state and GA against real HAProxy, the sandbox Consul and fake sidecars. */
class ShardOperationsTest {
    private static SandboxFleet fleet;
    private SandboxConsul sandbox;
    private ShardRegistrations registrations;
    private Site site;
    private ConsulSite consul;
    private HaproxyConnector connector;
    private HaproxyFleet haproxy;
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void startFleet() {
        fleet = SandboxFleet.builder().environment("stage-x").regions("us-ashburn-1", "eu-frankfurt-1").shardsPerRegion(2).start();
    }

    @AfterAll
    static void stopFleet() {
        fleet.close();
    }

    @BeforeEach
    void startConsul() {
        sandbox = SandboxConsul.start(fleet.datacenters().toArray(String[]::new));
        sandbox.sessionTtlMin(Duration.ofMillis(100));
        registrations = ShardRegistrations.register(fleet, sandbox);
        site = Site.parse(fleet.siteYaml(SandboxFleet.Transport.TCP, sandbox.uri()), "sandbox");
        consul = new ConsulSite(site, null, RetryPolicy.defaults(), Duration.ofSeconds(5));
        connector = new HaproxyConnector(Duration.ofSeconds(5), null);
        haproxy = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(8, false));
        for (SandboxShard shard : fleet.shards()) {
            haproxy.setServerState(io.infrasteps.engine.haproxy.ServerTarget.shard(shard.name()), ServerState.READY, true,
                    ProgressListener.NONE, Cancellation.create());
        }
    }

    @AfterEach
    void stopConsul() {
        connector.close();
        consul.close();
        sandbox.close();
        fleet.shards().forEach(s -> s.server().setHealthy(true));
    }

    private List<ShardName> allShards() {
        List<ShardName> shards = new ArrayList<>();
        fleet.shards().forEach(s -> shards.add(ShardName.parse("shard", s.name(), site)));
        return shards;
    }

    private EnvironmentLock lock() {
        return EnvironmentLock.acquire(consul.client(site.localRegion()), site.regions().get(0).datacenter(), site.name(),
                "haproxy-state", "test", Duration.ofSeconds(10), Duration.ZERO, Cancellation.create());
    }

    @Test
    void validationChecksConsulSidecarHaproxyAndStateAndRecordsTheOutcome() {
        String sick = fleet.shards().get(1).name();
        fleet.shard(sick).server().setHealthy(false); // the sidecar says unhealthy; Consul has not noticed yet
        List<ShardReport> reports = new ShardValidator(consul, haproxy, Duration.ofSeconds(2), 8)
                .validate(allShards(), "42", console::add, Cancellation.create());
        assertEquals(4, reports.size());
        for (ShardReport report : reports) {
            boolean expectPass = !report.shard().toString().equals(sick);
            assertEquals(expectPass, report.passed(), report.line());
            assertEquals(List.of("consul", "sidecar", "haproxy", "state"), report.checks().stream().map(ShardReport.Check::name).toList());
        }
        ShardReport failed = reports.get(1);
        assertTrue(failed.line().contains("sidecar failed: GET http://127.0.0.1:") && failed.line().contains("healthy is false"),
                failed.line());
        String dc = ShardRegistrations.datacenter(fleet, fleet.shard(sick));
        assertTrue(sandbox.kv(dc, "shard-test/stage-x/" + sick).contains("\"status\":\"failed\""));
        assertTrue(sandbox.kv(dc, "shard-test/stage-x/" + sick).contains("\"build_number\":\"42\""));
        assertEquals(4, console.size(), "one line per shard");
    }

    @Test
    void validationReportsMissingRegistrationAndState() {
        SandboxShard shard = fleet.shards().get(2);
        String dc = ShardRegistrations.datacenter(fleet, shard);
        sandbox.deregister(dc, "signal-" + shard.name());
        List<ShardReport> reports = new ShardValidator(consul, haproxy, Duration.ofSeconds(2), 8)
                .validate(List.of(ShardName.parse("shard", shard.name(), site)), "7", ProgressListener.NONE, Cancellation.create());
        String line = reports.get(0).line();
        assertTrue(line.contains("consul failed: not registered in Consul (service signal, datacenter " + dc + ")"), line);
        assertTrue(line.contains("sidecar failed: no registration"), line);
    }

    @Test
    void waitReturnsAsSoonAsTheLastShardTurnsHealthy() throws Exception {
        for (SandboxShard shard : fleet.shards()) {
            registrations.setHealthy(shard.name(), false);
        }
        ShardHealthWaiter waiter = new ShardHealthWaiter(consul);
        CompletableFuture<ShardHealthWaiter.Result> waiting = CompletableFuture.supplyAsync(
                () -> waiter.await(allShards(), Instant.now().plusSeconds(30), console::add, Cancellation.create()));
        assertTrue(sandbox.awaitBlockedQueries(2, Duration.ofSeconds(5)), "one blocking query per region");
        for (SandboxShard shard : fleet.shards()) {
            registrations.setHealthy(shard.name(), true);
        }
        long flipped = System.nanoTime();
        ShardHealthWaiter.Result result = waiting.get(10, TimeUnit.SECONDS);
        long reaction = System.nanoTime() - flipped;
        assertTrue(result.allHealthy(), result.describe());
        assertTrue(reaction < Duration.ofSeconds(2).toNanos(), "reacted in " + reaction / 1_000_000 + " ms");
        assertTrue(sandbox.requestCount("/v1/health/service/signal") < 40, "blocking queries, not polling");
    }

    @Test
    void waitTimesOutNamingEachUnhealthyShardAndWhy() {
        String sick = fleet.shards().get(3).name();
        registrations.setHealthy(sick, false);
        ShardHealthWaiter.Result result = new ShardHealthWaiter(consul)
                .await(allShards(), Instant.now().plusMillis(700), ProgressListener.NONE, Cancellation.create());
        assertFalse(result.allHealthy());
        assertEquals(1, result.unhealthy().size());
        assertTrue(result.describe().contains(sick + ": check 'signal-health' is critical (HTTP GET /about/health: 503"),
                result.describe());
    }

    @Test
    void shardStateIsWrittenWithCasAndAppliedOnEveryProxyUnderTheLock() throws Exception {
        SandboxShard shard = fleet.shards().get(0);
        String dc = ShardRegistrations.datacenter(fleet, shard);
        ShardStates states = new ShardStates(consul, haproxy);
        assertThrows(IllegalStateException.class, () -> states.apply(ShardName.parse("shard", shard.name(), site), ServerState.DRAIN,
                false, null, ProgressListener.NONE, Cancellation.create()), "refuses without the lock");
        try (EnvironmentLock lock = lock()) {
            FleetChange change = states.apply(ShardName.parse("shard", shard.name(), site), ServerState.DRAIN, false, lock,
                    console::add, Cancellation.create()).proxies();
            assertTrue(change.allSucceeded());
            assertEquals("drain", sandbox.kv(dc, "shard-states/stage-x/" + shard.name()));
            for (SandboxProxy proxy : fleet.proxies()) {
                assertTrue(RuntimeApiProbe.send(proxy.tcpAddress(), "show servers state release-1").contains(shard.name() + " 127.0.0.1 2 8 "));
            }
            assertThrows(InvalidInputException.class, () -> states.apply(ShardName.parse("shard", shard.name(), site), ServerState.MAINT,
                    false, lock, ProgressListener.NONE, Cancellation.create()));
            states.apply(ShardName.parse("shard", shard.name(), site), ServerState.READY, false, lock, console::add, Cancellation.create());
            assertEquals("ready", sandbox.kv(dc, "shard-states/stage-x/" + shard.name()));
        }
    }

    @Test
    void gaIsRefusedWhileAShardOfTheReleaseIsUnhealthyAndAppliedEverywhereWhenHealthy() throws Exception {
        String sick = fleet.shards().get(2).name();
        registrations.setHealthy(sick, false);
        ReleaseGa ga = new ReleaseGa(consul, haproxy);
        try (EnvironmentLock lock = lock()) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> ga.setLive(fleet.release(), false, lock, ProgressListener.NONE, Cancellation.create()));
            assertTrue(refused.getMessage().contains(sick), refused.getMessage());
            for (String dc : fleet.datacenters()) {
                assertEquals(null, sandbox.kv(dc, "releases/stage-x/live"), "nothing written when refused");
            }
            assertThrows(InvalidInputException.class, () -> ga.setLive(99, false, lock, ProgressListener.NONE, Cancellation.create()),
                    "a release without shards");

            registrations.setHealthy(sick, true);
            ReleaseGa.Result result = ga.setLive(fleet.release(), false, lock, console::add, Cancellation.create());
            assertEquals(2, result.datacenters().size());
            for (String dc : fleet.datacenters()) {
                assertEquals("release-" + fleet.release(), sandbox.kv(dc, "releases/stage-x/live"));
            }
            assertTrue(result.proxies().allSucceeded());
        }
    }

    @Test
    void withOneConsulAnswerInFiveFailingEverythingSucceedsThroughRetries() throws Exception {
        sandbox.faults().seed(11).failRate(0.2, 500);
        List<ShardReport> reports = new ShardValidator(consul, haproxy, Duration.ofSeconds(2), 8)
                .validate(allShards(), "9", ProgressListener.NONE, Cancellation.create());
        assertTrue(reports.stream().allMatch(ShardReport::passed), reports.toString());
        sandbox.faults().clear().seed(12).failRate(0.2, 429);
        try (EnvironmentLock lock = lock()) {
            ReleaseGa.Result result = new ReleaseGa(consul, haproxy).setLive(fleet.release(), false, lock, ProgressListener.NONE,
                    Cancellation.create());
            assertEquals(2, result.datacenters().size());
        }
        for (String dc : fleet.datacenters()) {
            assertEquals("release-" + fleet.release(), sandbox.kv(dc, "releases/stage-x/live"));
        }
        assertTrue(sandbox.faults().injected() > 0);
    }

    @Test
    void aConsulThatKeepsFailingIsReportedNamingTheDatacenter() throws Exception {
        try (ConsulSite impatient = new ConsulSite(site, null,
                new RetryPolicy(Duration.ofMillis(300), Duration.ofMillis(5), Duration.ofMillis(50)), Duration.ofSeconds(5));
             EnvironmentLock lock = lock()) {
            ReleaseGa ga = new ReleaseGa(impatient, haproxy);
            // Every answer fails from now on: the health read is retried until the deadline, then named.
            sandbox.faults().lostLeader(true);
            RuntimeException e = assertThrows(RuntimeException.class,
                    () -> ga.setLive(fleet.release(), false, lock, ProgressListener.NONE, Cancellation.create()));
            assertTrue(e.getMessage().contains("datacenter stage-x-") && e.getMessage().contains("No cluster leader"), e.getMessage());
            sandbox.faults().lostLeader(false);
        }
    }

    @Test
    void twoConcurrentGaSwitchesSerializeThroughTheLock() throws Exception {
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (int release : new int[] {1, 1}) {
            runs.add(CompletableFuture.runAsync(() -> {
                try (EnvironmentLock lock = EnvironmentLock.acquire(consul.client(site.localRegion()), site.regions().get(0).datacenter(),
                        site.name(), "haproxy-state", "ga-" + Thread.currentThread().getName(), Duration.ofSeconds(10),
                        Duration.ofSeconds(20), Cancellation.create())) {
                    order.add("start");
                    new ReleaseGa(consul, haproxy).setLive(release, false, lock, ProgressListener.NONE, Cancellation.create());
                    order.add("end");
                }
            }));
        }
        for (CompletableFuture<Void> run : runs) {
            run.get(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of("start", "end", "start", "end"), order);
    }

    @Test
    void aFailingProxyIsReportedButTheShardStateIsStillRecorded() throws Exception {
        try (SandboxFleet small = SandboxFleet.builder().environment("stage-y").regions("us-ashburn-1").proxiesPerRegion(2)
                .shardsPerRegion(2).start();
             SandboxConsul consulY = SandboxConsul.start(small.datacenters().toArray(String[]::new));
             HaproxyConnector c = new HaproxyConnector(Duration.ofSeconds(3), null)) {
            consulY.sessionTtlMin(Duration.ofMillis(100));
            ShardRegistrations.register(small, consulY);
            Site siteY = Site.parse(small.siteYaml(SandboxFleet.Transport.TCP, consulY.uri()), "y");
            try (ConsulSite consulSiteY = new ConsulSite(siteY, null, RetryPolicy.defaults(), Duration.ofSeconds(5))) {
                small.proxies().get(1).kill();
                HaproxyFleet proxies = new HaproxyFleet(siteY.proxies(List.of()), c, new FleetOptions(4, false));
                String shard = small.shards().get(0).name();
                try (EnvironmentLock lock = EnvironmentLock.acquire(consulSiteY.client("us-ashburn-1"), "stage-y-us-ashburn-1", "stage-y",
                        "haproxy-state", "t", Duration.ofSeconds(10), Duration.ZERO, Cancellation.create())) {
                    FleetOperationException e = assertThrows(FleetOperationException.class, () -> new ShardStates(consulSiteY, proxies)
                            .apply(ShardName.parse("shard", shard, siteY), ServerState.DRAIN, false, lock, ProgressListener.NONE,
                                    Cancellation.create()));
                    assertTrue(e.getMessage().contains(small.proxies().get(1).name()), e.getMessage());
                }
                assertEquals("drain", consulY.kv("stage-y-us-ashburn-1", "shard-states/stage-y/" + shard),
                        "KV is the source of truth the dead proxy converges from");
            }
        }
    }
}
