package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.RuntimeApiProbe;
import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxProxy;
import io.infrasteps.sandbox.SandboxShard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fleet operations against real HAProxy processes started by the sandbox. */
class HaproxyFleetTest {
    private static SandboxFleet sandbox;
    private static HaproxyConnector connector;
    private final List<String> console = Collections.synchronizedList(new ArrayList<>());
    private final ProgressListener listener = console::add;

    @BeforeAll
    static void startFleet() {
        // 2 regions x 2 proxies, 2 shards per region: release-1 holds 4 servers on each proxy.
        sandbox = SandboxFleet.builder().environment("stage-x").proxiesPerRegion(2).shardsPerRegion(2).start();
        connector = new HaproxyConnector(Duration.ofSeconds(5), null);
    }

    @AfterAll
    static void stopFleet() {
        connector.close();
        sandbox.close();
    }

    @BeforeEach
    void everyServerReady() {
        HaproxyFleet fleet = fleet(SandboxFleet.Transport.TCP, false);
        for (SandboxShard shard : sandbox.shards()) {
            fleet.setServerState(ServerTarget.shard(shard.name()), ServerState.READY, true, ProgressListener.NONE, Cancellation.create());
            fleet.setWeight(ServerTarget.shard(shard.name()), 1, ProgressListener.NONE, Cancellation.create());
        }
    }

    private static HaproxyFleet fleet(SandboxFleet.Transport transport, boolean tolerate) {
        Site site = Site.parse(sandbox.siteYaml(transport), "sandbox");
        return new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(8, tolerate));
    }

    @Test
    void statusListsEveryServerOfEveryProxyOverTcpAndUnix() {
        for (SandboxFleet.Transport transport : SandboxFleet.Transport.values()) {
            FleetStatus status = fleet(transport, false).status(listener, Cancellation.create());
            assertTrue(status.allOk());
            assertEquals(4, status.proxies().size());
            for (ProxyStatus proxy : status.proxies()) {
                // 4 shard backends with one server each, and release-1 with all 4 shards.
                assertEquals(8, proxy.servers().size(), proxy.servers().toString());
                for (ServerRow row : proxy.servers()) {
                    assertTrue(row.isReady(), row.toString());
                    assertTrue(row.status().startsWith("UP"), row.toString());
                    assertEquals("L7OK", row.checkStatus(), row.toString());
                }
                long backups = proxy.servers().stream().filter(r -> r.backend().equals("release-1") && r.backup()).count();
                assertEquals(2, backups, "other region's shards are backup servers");
            }
        }
        assertEquals(8, console.size());
        assertTrue(console.get(0).contains("8 servers: 8 ready"), console.get(0));
    }

    @Test
    void drainReadyAndMaintAreAppliedOnEveryProxyAndReadBack() throws IOException {
        String shard = sandbox.shards().get(0).name();
        HaproxyFleet fleet = fleet(SandboxFleet.Transport.UNIX, false);

        FleetChange drain = fleet.setServerState(ServerTarget.shard(shard), ServerState.DRAIN, false, listener, Cancellation.create());
        assertTrue(drain.allSucceeded(), drain.summary());
        for (ProxyOutcome outcome : drain.outcomes()) {
            assertEquals(ProxyOutcome.Result.CHANGED, outcome.result());
            assertEquals(2, outcome.details().size(), "the shard's own backend and its release backend");
        }
        assertAdminStateEverywhere(shard, 0x08);
        assertEquals(4, console.size(), "one console line per proxy");

        FleetChange again = fleet.setServerState(ServerTarget.shard(shard), ServerState.DRAIN, false, listener, Cancellation.create());
        assertTrue(again.outcomes().stream().allMatch(o -> o.result() == ProxyOutcome.Result.UNCHANGED), "re-running converges");

        fleet.setServerState(ServerTarget.shard(shard), ServerState.MAINT, false, listener, Cancellation.create());
        assertAdminStateEverywhere(shard, 0x01);

        fleet.setServerState(ServerTarget.shard(shard), ServerState.READY, false, listener, Cancellation.create());
        assertAdminStateEverywhere(shard, 0x00);
    }

    /** Reads srv_admin_state with the sandbox's own probe, independently of the engine's parser. */
    private static void assertAdminStateEverywhere(String server, int adminState) throws IOException {
        for (SandboxProxy proxy : sandbox.proxies()) {
            String reply = RuntimeApiProbe.send(proxy.tcpAddress(), "show servers state");
            int seen = 0;
            for (String line : reply.split("\n")) {
                String[] columns = line.split(" ");
                if (columns.length > 6 && columns[3].equals(server)) {
                    assertEquals(String.valueOf(adminState), columns[6], proxy.name() + ": " + line);
                    seen++;
                }
            }
            assertEquals(2, seen, proxy.name());
        }
    }

    @Test
    void refusesToDrainTheLastReadyServerOfABackendUnlessForced() {
        HaproxyFleet fleet = fleet(SandboxFleet.Transport.TCP, false);
        List<SandboxShard> shards = sandbox.shards();
        for (int i = 0; i < shards.size() - 1; i++) {
            fleet.setServerState(ServerTarget.shard(shards.get(i).name()), ServerState.DRAIN, false, listener, Cancellation.create());
        }
        String last = shards.get(shards.size() - 1).name();
        FleetOperationException refused = assertThrows(FleetOperationException.class,
                () -> fleet.setServerState(ServerTarget.shard(last), ServerState.MAINT, false, listener, Cancellation.create()));
        assertTrue(refused.getMessage().contains("backend release-1 would have no ready server left"), refused.getMessage());
        assertTrue(refused.getMessage().contains(sandbox.proxies().get(0).name()), "names the proxy: " + refused.getMessage());
        assertTrue(refused.change().outcomes().stream().allMatch(o -> o.result() == ProxyOutcome.Result.REFUSED));
        fleet.status(ProgressListener.NONE, Cancellation.create()).proxies().forEach(p -> assertTrue(
                p.servers().stream().anyMatch(r -> r.server().equals(last) && r.isReady()), "nothing was changed on " + p.proxy()));

        FleetChange forced = fleet.setServerState(ServerTarget.shard(last), ServerState.MAINT, true, listener, Cancellation.create());
        assertTrue(forced.allSucceeded(), forced.summary());
    }

    @Test
    void weightIsSetAndVerified() throws IOException {
        String shard = sandbox.shards().get(1).name();
        FleetChange change = fleet(SandboxFleet.Transport.TCP, false)
                .setWeight(ServerTarget.of("release-1", shard), 7, listener, Cancellation.create());
        assertTrue(change.allSucceeded(), change.summary());
        for (SandboxProxy proxy : sandbox.proxies()) {
            assertTrue(RuntimeApiProbe.send(proxy.tcpAddress(), "get weight release-1/" + shard).startsWith("7 "));
            assertTrue(RuntimeApiProbe.send(proxy.tcpAddress(), "get weight " + shard + "/" + shard).startsWith("1 "),
                    "only the named backend changed");
        }
    }

    @Test
    void liveMapIsSwappedAtomicallyAndHealthFlipsTheHealthFrontend() throws Exception {
        HaproxyFleet fleet = fleet(SandboxFleet.Transport.TCP, false);
        FleetChange live = fleet.setLiveRelease(42, listener, Cancellation.create());
        assertTrue(live.allSucceeded(), live.summary());
        for (SandboxProxy proxy : sandbox.proxies()) {
            String map = RuntimeApiProbe.send(proxy.tcpAddress(), "show map " + proxy.liveMap());
            assertTrue(map.contains(" live release-42"), map);
        }
        assertTrue(fleet.setLiveRelease(42, listener, Cancellation.create()).outcomes().stream()
                .allMatch(o -> o.result() == ProxyOutcome.Result.UNCHANGED));
        fleet.setLiveRelease(sandbox.release(), ProgressListener.NONE, Cancellation.create());

        SandboxProxy first = sandbox.proxies().get(0);
        assertEquals(200, healthOf(first));
        fleet.setHealth(false, listener, Cancellation.create());
        assertEquals(503, healthOf(first));
        fleet.setHealth(true, listener, Cancellation.create());
        assertEquals(200, healthOf(first));
    }

    private static int healthOf(SandboxProxy proxy) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.healthPort() + "/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void anUnknownServerIsReportedPerProxy() {
        FleetOperationException e = assertThrows(FleetOperationException.class, () -> fleet(SandboxFleet.Transport.TCP, false)
                .setServerState(ServerTarget.of("release-1", "no-such-shard"), ServerState.DRAIN, false, listener, Cancellation.create()));
        assertEquals(4, e.change().failures().size());
        for (SandboxProxy proxy : sandbox.proxies()) {
            assertTrue(e.getMessage().contains(proxy.name()) && e.getMessage().contains("No such server"), e.getMessage());
        }
    }
}
