package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxProxy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Dead, refusing, silent and malformed proxies are reported by name while the others are changed. */
class ProxyFailuresTest {
    @Test
    void aDeadProxyIsReportedWhileTheOthersAreChanged() {
        try (SandboxFleet sandbox = SandboxFleet.builder().regions("us-ashburn-1").proxiesPerRegion(3).shardsPerRegion(2).start();
             HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(3), null)) {
            Site site = Site.parse(sandbox.siteYaml(SandboxFleet.Transport.TCP), "sandbox");
            SandboxProxy dead = sandbox.proxies().get(1);
            dead.kill();
            String shard = sandbox.shards().get(0).name();
            List<String> console = Collections.synchronizedList(new ArrayList<>());

            FleetOperationException e = assertThrows(FleetOperationException.class,
                    () -> new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(8, false))
                            .setServerState(ServerTarget.shard(shard), ServerState.DRAIN, false, console::add, Cancellation.create()));
            assertTrue(e.getMessage().contains("2 changed, 0 unchanged, 1 failed"), e.getMessage());
            assertTrue(e.getMessage().contains(dead.name()) && e.getMessage().contains("connection refused"), e.getMessage());
            assertEquals(3, console.size());

            FleetChange tolerated = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(8, true))
                    .setServerState(ServerTarget.shard(shard), ServerState.DRAIN, false, ProgressListener.NONE, Cancellation.create());
            assertEquals(List.of(ProxyOutcome.Result.UNCHANGED, ProxyOutcome.Result.FAILED, ProxyOutcome.Result.UNCHANGED),
                    tolerated.outcomes().stream().map(ProxyOutcome::result).toList(), "the live proxies were drained the first time");

            FleetStatus status = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(8, true))
                    .status(ProgressListener.NONE, Cancellation.create());
            assertEquals(List.of(true, false, true), status.proxies().stream().map(ProxyStatus::ok).toList());
        }
    }

    @Test
    void malformedSilentAndClosedRepliesNameTheProxy() throws Exception {
        try (FakeRuntimeApi garbage = new FakeRuntimeApi("this is not a stats socket\n", false);
             FakeRuntimeApi silent = new FakeRuntimeApi("", true);
             HaproxyConnector connector = new HaproxyConnector(Duration.ofMillis(500), null)) {
            List<ProxyEndpoint> proxies = List.of(
                    ProxyEndpoint.explicit("proxies[0]", "tcp://127.0.0.1:" + garbage.port()),
                    ProxyEndpoint.explicit("proxies[1]", "tcp://127.0.0.1:" + silent.port()),
                    ProxyEndpoint.explicit("proxies[2]", "unix:///nonexistent/admin.sock"));
            FleetStatus status = new HaproxyFleet(proxies, connector, new FleetOptions(3, true))
                    .status(ProgressListener.NONE, Cancellation.create());
            assertTrue(status.proxies().get(0).error().contains("malformed reply to 'show servers state': this is not a stats socket"),
                    status.proxies().get(0).error());
            assertTrue(status.proxies().get(1).error().contains("timed out after 500 ms"), status.proxies().get(1).error());
            assertTrue(status.proxies().get(2).error().contains("failed"), status.proxies().get(2).error());

            FleetOperationException e = assertThrows(FleetOperationException.class,
                    () -> new HaproxyFleet(proxies, connector, new FleetOptions(3, false))
                            .setServerState(ServerTarget.shard("s1"), ServerState.DRAIN, false, ProgressListener.NONE, Cancellation.create()));
            assertTrue(e.getMessage().contains("tcp://127.0.0.1:" + garbage.port()), e.getMessage());
            assertTrue(e.getMessage().contains("unix:///nonexistent/admin.sock"), e.getMessage());
        }
    }

    @Test
    void haproxysOwnErrorRepliesAreReportedWithTheCommandAndProxy() throws Exception {
        String state = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight "
                + "srv_time_since_last_change srv_check_status srv_check_result\n"
                + "3 release-1 1 s1 127.0.0.1 2 0 1 1 5 6 3\n";
        try (FakeRuntimeApi api = new FakeRuntimeApi(command -> command.startsWith("show servers state") ? state : "No such server.\n", false);
             HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(2), null)) {
            FleetOperationException e = assertThrows(FleetOperationException.class,
                    () -> new HaproxyFleet(List.of(ProxyEndpoint.explicit("p", "tcp://127.0.0.1:" + api.port())), connector,
                            new FleetOptions(1, false)).setServerState(ServerTarget.of("release-1", "s1"), ServerState.MAINT, true,
                            ProgressListener.NONE, Cancellation.create()));
            assertTrue(e.getMessage().contains("tcp://127.0.0.1:" + api.port()) && e.getMessage()
                    .contains("'set server release-1/s1 state maint' was rejected: No such server."), e.getMessage());
        }
    }

    @Test
    void cancellationUnblocksAWaitingCommand() throws Exception {
        try (FakeRuntimeApi silent = new FakeRuntimeApi("", true);
             HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(30), null)) {
            Cancellation cancellation = Cancellation.create();
            HaproxyFleet fleet = new HaproxyFleet(List.of(ProxyEndpoint.explicit("p", "tcp://127.0.0.1:" + silent.port())),
                    connector, new FleetOptions(1, false));
            Thread canceller = new Thread(() -> {
                silent.awaitConnection();
                cancellation.cancel();
            });
            canceller.start();
            long start = System.nanoTime();
            assertThrows(CancellationException.class, () -> fleet.status(ProgressListener.NONE, cancellation));
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "returned at once, not at the 30 s timeout");
            canceller.join();
        }
    }

    /** A TCP peer that answers every connection with a fixed text, or never answers. */
    static final class FakeRuntimeApi implements AutoCloseable {
        private final ServerSocket server;
        private final Thread thread;
        private final java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);

        FakeRuntimeApi(String reply, boolean silent) throws IOException {
            this(command -> reply, silent);
        }

        FakeRuntimeApi(java.util.function.Function<String, String> replies, boolean silent) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            thread = new Thread(() -> {
                List<Socket> held = new ArrayList<>();
                try {
                    while (true) {
                        Socket socket = server.accept();
                        connected.countDown();
                        if (silent) {
                            held.add(socket);
                            continue;
                        }
                        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
                            StringBuilder command = new StringBuilder();
                            for (int c = in.read(); c != '\n' && c >= 0; c = in.read()) {
                                command.append((char) c);
                            }
                            out.write(replies.apply(command.toString()).getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                } catch (IOException closed) {
                    held.forEach(s -> {
                        try {
                            s.close();
                        } catch (IOException ignored) {
                            // test teardown
                        }
                    });
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port() {
            return server.getLocalPort();
        }

        void awaitConnection() {
            try {
                connected.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
