package io.infrasteps.sandbox;

import io.infrasteps.sandbox.process.ChildProcess;
import io.infrasteps.sandbox.process.LoopbackPorts;
import io.infrasteps.sandbox.process.Poll;
import io.infrasteps.sandbox.process.ProcessExitedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One real HAProxy process of the sandbox fleet, in its own working directory with its own
 * config, maps and admin sockets (unix and TCP), listening on loopback only.
 */
public final class SandboxProxy {
    /** Port clashes with other builds on this machine are retried with fresh ports this often. */
    private static final int LAUNCH_ATTEMPTS = 3;
    private static final int MAX_UNIX_SOCKET_PATH = 107;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);
    /** {@code show servers state}: srv_op_state (6th column) 2 = running. */
    private static final String OP_STATE_RUNNING = "2";
    /** {@code show servers state}: srv_check_result (12th column) 3 = last check passed. */
    private static final String CHECK_PASSED = "3";

    private final String name;
    private final String region;
    private final Path dir;
    private final HaproxyConfig.Ports ports;
    private final int expectedServers;
    private final Path haproxy;
    private final Duration readinessTimeout;
    private volatile ChildProcess process;

    private SandboxProxy(String name, String region, Path dir, HaproxyConfig.Ports ports, int expectedServers,
                         Path haproxy, Duration readinessTimeout) {
        this.name = name;
        this.region = region;
        this.dir = dir;
        this.ports = ports;
        this.expectedServers = expectedServers;
        this.haproxy = haproxy;
        this.readinessTimeout = readinessTimeout;
    }

    /** Writes the proxy's directory, starts haproxy and waits until every server is UP. */
    static SandboxProxy launch(String name, String region, Path dir, int release, List<SandboxShard> shards,
                               Path haproxy, Duration readinessTimeout) {
        Path socket = dir.resolve("admin.sock");
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_UNIX_SOCKET_PATH) {
            throw new IllegalStateException("unix socket path " + socket + " is longer than " + MAX_UNIX_SOCKET_PATH
                    + " bytes; point java.io.tmpdir to a shorter directory");
        }
        try {
            Files.createDirectories(dir.resolve("maps"));
            Files.writeString(dir.resolve("maps/live.map"), "live release-" + release + "\n");
            Files.writeString(dir.resolve("maps/up.map"), "up up\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the working directory of " + name + " in " + dir, e);
        }
        // Every shard has its own backend and a server in the release backend.
        int expectedServers = shards.size() * 2;
        for (int attempt = 1; ; attempt++) {
            HaproxyConfig.Ports ports = new HaproxyConfig.Ports(LoopbackPorts.pick(), LoopbackPorts.pick(), LoopbackPorts.pick());
            SandboxProxy proxy = new SandboxProxy(name, region, dir, ports, expectedServers, haproxy, readinessTimeout);
            try {
                Files.writeString(proxy.configFile(), HaproxyConfig.render(dir, ports, region, release, shards));
                Files.deleteIfExists(proxy.logFile());
                proxy.start();
                return proxy;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the configuration of " + name + " in " + dir, e);
            } catch (ProcessExitedException e) {
                if (attempt == LAUNCH_ATTEMPTS || !e.logTail().contains("Address already in use")) {
                    throw e;
                }
            }
        }
    }

    public String name() {
        return name;
    }

    public String region() {
        return region;
    }

    /** Runtime API over TCP: {@code tcp://127.0.0.1:<port>}. */
    public String tcpAddress() {
        return "tcp://127.0.0.1:" + ports.admin();
    }

    /** Runtime API over the unix socket: {@code unix://<absolute path>}. */
    public String unixAddress() {
        return "unix://" + adminSocket();
    }

    /** Address for the engine's SSH transport: the unix socket reached through {@code sshd}. */
    public String sshAddress(String user, int sshPort) {
        return "ssh://" + user + "@127.0.0.1:" + sshPort + adminSocket();
    }

    public int adminPort() {
        return ports.admin();
    }

    public Path adminSocket() {
        return dir.resolve("admin.sock");
    }

    public Path liveMap() {
        return dir.resolve("maps/live.map");
    }

    public Path upMap() {
        return dir.resolve("maps/up.map");
    }

    /** Traffic frontend: routes by live.map to {@code release-<N>}. */
    public int frontendPort() {
        return ports.frontend();
    }

    /** Health frontend: 200, or 503 while up.map maps {@code up} to {@code down}. */
    public int healthPort() {
        return ports.health();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path workDir() {
        return dir;
    }

    public Path configFile() {
        return dir.resolve("haproxy.cfg");
    }

    /** haproxy's stdout and stderr (appended across restarts), for diagnosis. */
    public Path logFile() {
        return dir.resolve("haproxy.log");
    }

    /** SIGKILL: simulates a dead proxy; its admin port and socket then refuse connections. */
    public void kill() {
        process.kill();
    }

    /**
     * Stops haproxy if it runs and starts it again from the files on disk, like a reload on a
     * real host: state set through the runtime API (map entries, drained servers) is lost.
     */
    public void restart() {
        process.close();
        start();
    }

    void requestStop() {
        process.requestStop();
    }

    void stop() {
        process.close();
    }

    private void start() {
        process = ChildProcess.start(name, List.of(haproxy.toString(), "-db", "-f", configFile().toString()), dir, logFile());
        try {
            awaitReady();
        } catch (RuntimeException e) {
            process.close();
            throw e;
        }
    }

    private void awaitReady() {
        AtomicReference<String> lastState = new AtomicReference<>("(no reply yet)");
        Poll.until(name + " (haproxy pid " + process.pid() + ", admin " + tcpAddress() + ")", readinessTimeout, () -> {
            process.requireAlive();
            if (!RuntimeApiProbe.send(tcpAddress(), "show info", PROBE_TIMEOUT).contains("Name: HAProxy")) {
                return null;
            }
            String state = RuntimeApiProbe.send(tcpAddress(), "show servers state", PROBE_TIMEOUT);
            lastState.set(state);
            return allServersUp(state) ? Boolean.TRUE : null;
        }, () -> "last 'show servers state':\n" + lastState.get()
                + "\nhaproxy log " + logFile() + ":\n" + process.logTail(40));
    }

    private boolean allServersUp(String serversState) {
        int servers = 0;
        int up = 0;
        for (String line : serversState.split("\n")) {
            String[] fields = line.trim().split(" ");
            if (line.startsWith("#") || fields.length < 12) {
                continue;
            }
            servers++;
            if (fields[5].equals(OP_STATE_RUNNING) && fields[11].equals(CHECK_PASSED)) {
                up++;
            }
        }
        return servers == expectedServers && up == expectedServers;
    }
}
