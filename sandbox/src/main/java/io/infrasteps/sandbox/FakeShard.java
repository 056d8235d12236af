package io.infrasteps.sandbox;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

/**
 * One shard as HAProxy and the engine see it: an HTTP server on 127.0.0.1 (ephemeral port)
 * answering the public health path, the sidecar's report and a page naming the shard, so a
 * test can tell which shard a request was routed to.
 * <ul>
 *   <li>{@code GET /about/health}: 200 {@code OK}, or 503 after {@code setHealthy(false)}</li>
 *   <li>{@code GET /signal/report}: {@code {"healthy":true|false,"shard":"<name>"}}</li>
 *   <li>{@code GET /}: 200 {@code shard <name>}</li>
 * </ul>
 */
public final class FakeShard implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,127}");

    private final String name;
    private final HttpServer server;
    private final ExecutorService executor;
    private volatile boolean healthy = true;

    private FakeShard(String name, HttpServer server, ExecutorService executor) {
        this.name = name;
        this.server = server;
        this.executor = executor;
    }

    /** Starts a shard named {@code name} (lower-case letters, digits, '.', '-'). */
    public static FakeShard start(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("shard name must match " + NAME.pattern() + ", got '" + name + "'");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start fake shard " + name + " on 127.0.0.1", e);
        }
        // Two threads: every proxy health-checks every shard twice a second.
        ExecutorService executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "fake-shard-" + name);
            thread.setDaemon(true);
            return thread;
        });
        FakeShard shard = new FakeShard(name, server, executor);
        server.createContext("/", shard::handle);
        server.setExecutor(executor);
        server.start();
        return shard;
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    public boolean isHealthy() {
        return healthy;
    }

    /** An unhealthy shard answers 503 on {@code /about/health} and {@code "healthy":false} in its report. */
    public void setHealthy(boolean healthy) {
        this.healthy = healthy;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "text/plain", "method not allowed\n");
            } else if (path.equals("/about/health")) {
                respond(exchange, healthy ? 200 : 503, "text/plain", healthy ? "OK" : "Service Unavailable");
            } else if (path.equals("/signal/report")) {
                respond(exchange, 200, "application/json", "{\"healthy\":" + healthy + ",\"shard\":\"" + name + "\"}");
            } else if (path.equals("/")) {
                respond(exchange, 200, "text/plain", "shard " + name + "\n");
            } else {
                respond(exchange, 404, "text/plain", "not found\n");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
