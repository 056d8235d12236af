package io.infrasteps.sandbox;

import io.infrasteps.sandbox.process.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default fleet: two regions, one proxy and two shards each. Tests that break a proxy start their own fleet. */
class SandboxFleetTest {
    private static SandboxFleet fleet;

    @BeforeAll
    static void startFleet() {
        fleet = SandboxFleet.builder().start();
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void namesShardsWithNumbersUniqueAcrossTheEnvironment() {
        assertEquals(List.of("sandbox-us-ashburn-1-s1", "sandbox-us-ashburn-1-s2", "sandbox-eu-frankfurt-1-s3", "sandbox-eu-frankfurt-1-s4"),
                fleet.shards().stream().map(SandboxShard::name).toList());
        assertEquals(List.of(1, 2, 3, 4), fleet.shards().stream().map(SandboxShard::number).toList());
        assertEquals("eu-frankfurt-1", fleet.shard("sandbox-eu-frankfurt-1-s3").region());
        assertEquals(List.of("haproxy-us-ashburn-1-1", "haproxy-eu-frankfurt-1-1"),
                fleet.proxies().stream().map(SandboxProxy::name).toList());
    }

    @Test
    void everyServerOfEveryProxyIsUp() throws IOException {
        for (SandboxProxy proxy : fleet.proxies()) {
            Map<String, String> states = opStates(proxy);
            assertEquals(8, states.size(), "4 shard backends + 4 servers in release-1: " + states);
            states.forEach((server, state) -> assertEquals("2", state, proxy.name() + " " + server));
        }
    }

    @Test
    void releaseBackendPrefersTheProxysOwnRegion() throws IOException {
        String config = Files.readString(fleet.proxy("haproxy-eu-frankfurt-1-1").configFile());
        int port = fleet.shard("sandbox-us-ashburn-1-s1").port();
        int localPort = fleet.shard("sandbox-eu-frankfurt-1-s3").port();
        assertTrue(config.contains("server sandbox-us-ashburn-1-s1 127.0.0.1:" + port + " check inter 500ms backup\n"), config);
        assertTrue(config.contains("server sandbox-eu-frankfurt-1-s3 127.0.0.1:" + localPort + " check inter 500ms\n"), config);
    }

    @Test
    void liveMapHoldsTheRelease() throws IOException {
        for (SandboxProxy proxy : fleet.proxies()) {
            String map = RuntimeApiProbe.send(proxy.unixAddress(), "show map " + proxy.liveMap());
            assertTrue(map.contains(" live release-1\n"), map);
            assertEquals("live release-1\n", Files.readString(proxy.liveMap()));
            assertEquals("up up\n", Files.readString(proxy.upMap()));
        }
    }

    @Test
    void frontendRoutesToTheLiveReleaseInTheOwnRegion() throws Exception {
        for (SandboxProxy proxy : fleet.proxies()) {
            String body = Http.get(proxy.frontendPort(), "/").body();
            assertTrue(body.startsWith("shard sandbox-" + proxy.region() + "-s"), proxy.name() + " routed to " + body);
        }
    }

    @Test
    void healthFrontendFollowsTheUpMap() throws Exception {
        SandboxProxy proxy = fleet.proxies().get(0);
        assertEquals(200, Http.get(proxy.healthPort(), "/").statusCode());
        try {
            assertEquals("", RuntimeApiProbe.send(proxy.tcpAddress(), "set map " + proxy.upMap() + " up down").strip());
            assertEquals(503, Http.get(proxy.healthPort(), "/").statusCode());
        } finally {
            RuntimeApiProbe.send(proxy.tcpAddress(), "set map " + proxy.upMap() + " up up");
        }
        assertEquals(200, Http.get(proxy.healthPort(), "/").statusCode());
    }

    @Test
    void adminSocketsAreLoopbackAndUnix() throws IOException {
        for (SandboxProxy proxy : fleet.proxies()) {
            assertEquals("tcp://127.0.0.1:" + proxy.adminPort(), proxy.tcpAddress());
            assertEquals("unix://" + proxy.workDir().resolve("admin.sock"), proxy.unixAddress());
            assertTrue(RuntimeApiProbe.send(proxy.tcpAddress(), "show info").contains("Name: HAProxy"));
            assertTrue(RuntimeApiProbe.send(proxy.unixAddress(), "show info").contains("Name: HAProxy"));
            assertTrue(Files.readString(proxy.configFile()).contains("stats socket 127.0.0.1:" + proxy.adminPort() + " level admin"));
        }
    }

    @Test
    void unhealthyLocalShardsSendTrafficToTheBackupRegion() throws Exception {
        try (SandboxFleet own = SandboxFleet.builder().regions("us-ashburn-1", "eu-frankfurt-1").start()) {
            SandboxProxy proxy = own.proxies("us-ashburn-1").get(0);
            own.shards("us-ashburn-1").forEach(shard -> shard.server().setHealthy(false));

            Poll.until("release-1 local servers DOWN on " + proxy.name(), Duration.ofSeconds(10), () -> {
                Map<String, String> states = opStates(proxy);
                boolean down = "0".equals(states.get("release-1/sandbox-us-ashburn-1-s1"))
                        && "0".equals(states.get("release-1/sandbox-us-ashburn-1-s2"));
                return down ? Boolean.TRUE : null;
            }, () -> "servers: " + proxy.name());
            String body = Http.get(proxy.frontendPort(), "/").body();
            assertTrue(body.startsWith("shard sandbox-eu-frankfurt-1-"), body);
        }
    }

    @Test
    void killedProxyRefusesItsAdminPortAndRestartRestoresTheFilesOnDisk() throws Exception {
        try (SandboxFleet own = SandboxFleet.builder().regions("us-ashburn-1").shardsPerRegion(1).start()) {
            SandboxProxy proxy = own.proxies().get(0);
            RuntimeApiProbe.send(proxy.tcpAddress(), "set map " + proxy.liveMap() + " live release-2");
            long pid = proxy.pid();

            proxy.kill();
            assertFalse(proxy.isAlive());
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            assertThrows(ConnectException.class, () -> RuntimeApiProbe.send(proxy.tcpAddress(), "show info"));
            assertThrows(IOException.class, () -> RuntimeApiProbe.send(proxy.unixAddress(), "show info"));

            proxy.restart();
            assertTrue(proxy.isAlive());
            String map = RuntimeApiProbe.send(proxy.unixAddress(), "show map " + proxy.liveMap());
            assertTrue(map.contains(" live release-1\n"), "runtime changes are lost on restart: " + map);
        }
    }

    @Test
    void closeStopsEveryProcessAndDeletesTheDirectory() throws Exception {
        SandboxFleet own = SandboxFleet.builder().proxiesPerRegion(2).start();
        List<Long> pids = own.proxies().stream().map(SandboxProxy::pid).toList();
        List<Integer> shardPorts = own.shards().stream().map(SandboxShard::port).toList();
        String dir = own.workDir().toString();
        assertEquals(4, pids.size());

        own.close();

        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "haproxy pid " + pid + " still runs");
        }
        List<String> ours = ProcessHandle.allProcesses()
                .filter(p -> p.isAlive() && p.info().commandLine().map(c -> c.contains(dir)).orElse(false))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse(""))
                .toList();
        assertEquals(List.of(), ours);
        assertFalse(Files.exists(own.workDir()));
        for (int port : shardPorts) {
            assertThrows(ConnectException.class, () -> Http.get(port, "/about/health"));
        }
        own.close();
    }

    @Test
    void builderNamesTheBadField() {
        assertMessage(() -> SandboxFleet.builder().environment("Bad_Env"), "environment");
        assertMessage(() -> SandboxFleet.builder().regions(), "regions");
        assertMessage(() -> SandboxFleet.builder().regions("a", "a"), "distinct");
        assertMessage(() -> SandboxFleet.builder().proxiesPerRegion(0), "proxiesPerRegion");
        assertMessage(() -> SandboxFleet.builder().shardsPerRegion(0), "shardsPerRegion");
        assertMessage(() -> SandboxFleet.builder().release(0), "release");
    }

    @Test
    void probeRefusesAddressesOutsideLoopback() {
        assertMessage(() -> RuntimeApiProbe.send("tcp://10.0.0.1:9999", "show info"), "tcp://127.0.0.1");
        assertMessage(() -> RuntimeApiProbe.send("tcp://localhost:9999", "show info"), "tcp://127.0.0.1");
        assertMessage(() -> RuntimeApiProbe.send("unix://relative.sock", "show info"), "unix://");
    }

    /** backend/server -> srv_op_state from {@code show servers state}. */
    static Map<String, String> opStates(SandboxProxy proxy) throws IOException {
        String state = RuntimeApiProbe.send(proxy.tcpAddress(), "show servers state");
        List<String[]> rows = new ArrayList<>();
        for (String line : state.split("\n")) {
            String[] fields = line.split(" ");
            if (!line.startsWith("#") && fields.length > 6) {
                rows.add(fields);
            }
        }
        return rows.stream().collect(Collectors.toMap(f -> f[1] + "/" + f[3], f -> f[5]));
    }

    private interface Call {
        void run() throws Exception;
    }

    private static void assertMessage(Call call, String expected) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(error.getMessage().contains(expected), error.getMessage());
    }
}
