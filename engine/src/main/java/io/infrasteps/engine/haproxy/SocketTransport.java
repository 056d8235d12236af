package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Cancellation;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runtime API over TCP or a local unix socket: one connection per command, HAProxy answers
 * and closes. A watchdog closes the channel at the deadline or on cancellation, because a
 * blocking channel read has no timeout of its own.
 */
final class SocketTransport implements RuntimeApiSession {
    /** Guards memory against a misbehaving peer; `show stat` of a big fleet is well under this. */
    static final int MAX_REPLY_BYTES = 64 * 1024 * 1024;

    private final ProxyEndpoint endpoint;
    private final Duration timeout;
    private final ScheduledExecutorService watchdog;
    private final Cancellation cancellation;

    SocketTransport(ProxyEndpoint endpoint, Duration timeout, ScheduledExecutorService watchdog, Cancellation cancellation) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.watchdog = watchdog;
        this.cancellation = cancellation;
    }

    @Override
    public String execute(RuntimeCommand command) {
        cancellation.throwIfCancelled();
        RuntimeApiAddress address = endpoint.address();
        SocketAddress target = address.kind() == RuntimeApiAddress.Kind.UNIX
                ? UnixDomainSocketAddress.of(address.path())
                : new InetSocketAddress(address.host(), address.port());
        AtomicBoolean timedOut = new AtomicBoolean();
        try (SocketChannel channel = address.kind() == RuntimeApiAddress.Kind.UNIX
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            ScheduledFuture<?> deadline = watchdog.schedule(() -> {
                timedOut.set(true);
                closeQuietly(channel);
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
            try (AutoCloseable ignored = cancellation.onCancel(() -> closeQuietly(channel))) {
                channel.connect(target);
                channel.write(ByteBuffer.wrap((command.text() + "\n").getBytes(StandardCharsets.US_ASCII)));
                return readToEnd(channel, command);
            } finally {
                deadline.cancel(false);
            }
        } catch (RuntimeApiException e) {
            throw e;
        } catch (Exception e) {
            cancellation.throwIfCancelled();
            if (timedOut.get()) {
                throw new RuntimeApiException(endpoint.label() + ": '" + command + "' timed out after " + timeout.toMillis() + " ms");
            }
            throw new RuntimeApiException(endpoint.label() + ": '" + command + "' failed: " + describe(e), e);
        }
    }

    private String readToEnd(SocketChannel channel, RuntimeCommand command) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            reply.write(buffer.array(), 0, buffer.limit());
            buffer.clear();
            if (reply.size() > MAX_REPLY_BYTES) {
                throw new RuntimeApiException(endpoint.label() + ": '" + command + "' replied more than " + MAX_REPLY_BYTES + " bytes");
            }
        }
        return reply.toString(StandardCharsets.UTF_8);
    }

    static String describe(Exception e) {
        String type = e.getClass().getSimpleName();
        if (e instanceof java.net.ConnectException || "Connection refused".equals(e.getMessage())) {
            return "connection refused (is HAProxy running and the runtime API listening?)";
        }
        if (e instanceof java.nio.channels.AsynchronousCloseException) {
            return "connection closed";
        }
        return e.getMessage() == null ? type : type + ": " + e.getMessage();
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing to unblock a read; nothing more to do
        }
    }

    @Override
    public void close() {
        // one connection per command: nothing held between commands
    }
}
