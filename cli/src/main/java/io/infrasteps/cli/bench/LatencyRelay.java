package io.infrasteps.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A loopback TCP relay that delays every chunk by a fixed one-way latency, so the benchmark can
 * show a fleet spread over regions (tens of milliseconds away) while running on one machine.
 * Benchmark-only: tests never need it.
 */
final class LatencyRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final long oneWayMillis;

    LatencyRelay(int targetPort, long oneWayMillis) throws IOException {
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        this.targetPort = targetPort;
        this.oneWayMillis = oneWayMillis;
        Thread acceptor = new Thread(this::acceptLoop, "latency-relay-" + targetPort);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed, or the target is gone: the client sees its connection reset
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    Thread.sleep(oneWayMillis);
                    out.write(buffer, 0, n);
                    out.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                // one side closed
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // both ends are being discarded
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
