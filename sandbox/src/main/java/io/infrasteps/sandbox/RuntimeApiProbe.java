package io.infrasteps.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Sandbox-only probe of the HAProxy runtime API, used to wait for readiness and to assert in
 * tests. It sends one command and reads the reply to EOF, nothing more: the engine has the real
 * client (validation, errors, SSH, fan-out) and must be tested through that one.
 * Only {@code tcp://127.x.x.x:<port>} and {@code unix://<absolute path>} are accepted, so a test
 * can never reach beyond loopback.
 */
public final class RuntimeApiProbe {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern LOOPBACK_LITERAL = Pattern.compile("127(\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])){3}");

    private RuntimeApiProbe() {
    }

    public static String send(String address, String command) throws IOException {
        return send(address, command, DEFAULT_TIMEOUT);
    }

    /** Sends {@code command} to {@code address} and returns the whole reply (empty means success). */
    public static String send(String address, String command, Duration timeout) throws IOException {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("command must be a single line");
        }
        SocketAddress target = parse(address);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (SocketChannel channel = target instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open(StandardProtocolFamily.INET)) {
            // Connecting to loopback or a unix socket either succeeds or is refused at once.
            channel.connect(target);
            ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
            while (request.hasRemaining()) {
                channel.write(request);
            }
            return readToEof(channel, deadline, address, command);
        }
    }

    private static String readToEof(SocketChannel channel, long deadline, String address, String command) throws IOException {
        channel.configureBlocking(false);
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            while (true) {
                long leftMillis = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
                if (leftMillis <= 0) {
                    throw new SocketTimeoutException("no complete reply to '" + command + "' from " + address);
                }
                selector.select(leftMillis);
                selector.selectedKeys().clear();
                int read = channel.read(buffer);
                if (read < 0) {
                    return reply.toString(StandardCharsets.UTF_8);
                }
                reply.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
        }
    }

    private static SocketAddress parse(String address) {
        URI uri = URI.create(address);
        if ("unix".equals(uri.getScheme()) && uri.getPath() != null && uri.getPath().startsWith("/")) {
            return UnixDomainSocketAddress.of(uri.getPath());
        }
        if ("tcp".equals(uri.getScheme()) && uri.getHost() != null && LOOPBACK_LITERAL.matcher(uri.getHost()).matches()
                && uri.getPort() > 0) {
            // A literal address: no name lookup, and nothing outside 127.0.0.0/8.
            return new InetSocketAddress(uri.getHost(), uri.getPort());
        }
        throw new IllegalArgumentException("address must be tcp://127.0.0.1:<port> or unix://<absolute path>, got '" + address + "'");
    }
}
