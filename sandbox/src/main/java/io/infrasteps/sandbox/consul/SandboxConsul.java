package io.infrasteps.sandbox.consul;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

import io.infrasteps.sandbox.consul.ConsulStore.ApiException;
import io.infrasteps.sandbox.consul.ConsulStore.Dc;
import io.infrasteps.sandbox.consul.ConsulStore.Kv;
import io.infrasteps.sandbox.consul.ConsulStore.Result;
import io.infrasteps.sandbox.consul.ConsulStore.Service;
import io.infrasteps.sandbox.consul.ConsulStore.Session;

/**
 * An in-process Consul agent for tests: the subset of Consul's HTTP API the project's Consul
 * client uses (KV with CAS and locks, blocking queries, catalog, health, sessions), several
 * datacenters behind one agent ({@code ?dc=}), an optional ACL token and injectable faults.
 * Listens on 127.0.0.1 on an ephemeral port. See the package documentation for what is
 * implemented and where it deviates from a real Consul.
 */
public final class SandboxConsul implements AutoCloseable {
    private static final Pattern DC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final long DEFAULT_WAIT = Duration.ofMinutes(5).toNanos();
    private static final long MAX_WAIT = Duration.ofMinutes(10).toNanos();
    private static final long SESSION_TTL_MAX = Duration.ofHours(24).toNanos();
    private static final int KV_MAX_VALUE_SIZE = 512 * 1024;
    private static final int REQUEST_LOG_SIZE = 1000;
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    static {
        // The JDK server writes response headers and body separately; without TCP_NODELAY every
        // answer waits for the client's delayed ACK (~40 ms). The JDK reads this once, when the
        // first HttpServer of the JVM starts, so it only helps if no server was created before.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledThreadPoolExecutor scheduler;
    private final ConsulStore store;
    private final ConsulFaults faults = new ConsulFaults();
    private final Deque<String> requestLog = new ArrayDeque<>();
    private final AtomicLong requestCount = new AtomicLong();
    private final Map<String, LongAdder> requestsByPath = new ConcurrentHashMap<>();
    private volatile String requiredToken;
    private volatile boolean tokenSeenInUrl;
    private volatile long sessionTtlMin = Duration.ofSeconds(10).toNanos();
    private volatile int badFilterStatus = 500;
    private volatile boolean closed;

    private SandboxConsul(List<String> datacenters) throws IOException {
        int instance = INSTANCES.incrementAndGet();
        this.scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "sandbox-consul-" + instance + "-sessions");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        this.store = new ConsulStore(datacenters, "sandbox-agent", scheduler);
        AtomicInteger threads = new AtomicInteger();
        // Unbounded: every blocking query parks one thread until its index moves or its wait ends.
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "sandbox-consul-" + instance + "-http-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /**
     * Starts an agent on 127.0.0.1 (ephemeral port) serving {@code datacenters}; the first is the
     * agent's own (the default for requests without {@code ?dc=}). No argument means {@code dc1}.
     */
    public static SandboxConsul start(String... datacenters) {
        List<String> names = new ArrayList<>(datacenters.length == 0 ? List.of("dc1") : List.of(datacenters));
        Set<String> unique = new LinkedHashSet<>();
        for (String dc : names) {
            if (dc == null || !DC_NAME.matcher(dc).matches()) {
                throw new IllegalArgumentException("datacenter must match " + DC_NAME.pattern() + ", got '" + dc + "'");
            }
            if (!unique.add(dc)) {
                throw new IllegalArgumentException("datacenter " + dc + " is listed twice");
            }
        }
        try {
            return new SandboxConsul(names);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox Consul on 127.0.0.1", e);
        }
    }

    /** {@code http://127.0.0.1:<port>} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The agent's own datacenter (the first passed to {@link #start}). */
    public String datacenter() {
        return store.agentDc();
    }

    public List<String> datacenters() {
        return store.datacenterNames();
    }

    /** The agent's node name; it exists (with a passing {@code serfHealth} check) only in the agent's datacenter. */
    public String agentNode() {
        return store.agentNode();
    }

    /** The current raft index: bumped by every applied write, in any datacenter. */
    public long index() {
        return store.index();
    }

    /**
     * Simulates a snapshot restore: every stored index becomes 1 and the raft index restarts, so
     * X-Consul-Index goes backwards for every query; blocked queries return at once. Data is kept.
     */
    public void resetIndex() {
        store.resetIndex();
    }

    // ---- catalog and health (Java API, no HTTP) ----

    /** Registers (or updates) a service instance whose node and service address are both {@code address}, without tags. */
    public void registerService(String dc, String node, String address, String serviceId, String service, int port,
                                Map<String, String> meta, List<CheckSpec> checks) {
        registerService(dc, node, address, serviceId, service, address, port, meta, List.of(), checks);
    }

    /**
     * Registers (or updates) a service instance. {@code serviceAddress} may be empty (clients then
     * use the node's address). Service ids are unique per datacenter in the sandbox. Bumps the
     * index and wakes blocking queries unless nothing changed.
     */
    public void registerService(String dc, String node, String nodeAddress, String serviceId, String service,
                                String serviceAddress, int port, Map<String, String> meta, List<String> tags,
                                List<CheckSpec> checks) {
        requireText("node", node);
        requireText("nodeAddress", nodeAddress);
        requireText("serviceId", serviceId);
        requireText("service", service);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        Map<String, String> metaCopy = new TreeMap<>(meta == null ? Map.of() : meta);
        List<String> tagsCopy = tags == null ? List.of() : List.copyOf(tags);
        List<CheckSpec> checksCopy = checks == null ? List.of() : List.copyOf(checks);
        store.write(() -> {
            store.registerService(javaDc(dc), node, nodeAddress, serviceId, service,
                    serviceAddress == null ? "" : serviceAddress, port, metaCopy, tagsCopy, checksCopy);
            return null;
        });
    }

    /** Registers a node without services (e.g. the agent's node name in another datacenter, so sessions can be created there). */
    public void registerNode(String dc, String node, String address) {
        requireText("node", node);
        requireText("address", address);
        store.write(() -> store.registerNode(javaDc(dc), node, address));
    }

    /** Sets (or adds) check {@code checkId} of service instance {@code serviceId}: status passing|warning|critical|maintenance. */
    public void setCheck(String dc, String serviceId, String checkId, String status, String output) {
        requireText("checkId", checkId);
        CheckSpec.requireStatus(status);
        store.write(() -> store.setCheck(javaDc(dc), serviceId, checkId, status, output == null ? "" : output));
    }

    /** Sets (or adds) a node-level check such as {@code serfHealth}; it shows in the health of every service on the node. */
    public void setNodeCheck(String dc, String node, String checkId, String status, String output) {
        requireText("checkId", checkId);
        CheckSpec.requireStatus(status);
        store.write(() -> store.setNodeCheck(javaDc(dc), node, checkId, status, output == null ? "" : output));
    }

    /** Removes service instance {@code serviceId} and its checks. */
    public void deregister(String dc, String serviceId) {
        store.write(() -> {
            store.deregister(javaDc(dc), serviceId);
            return null;
        });
    }

    // ---- KV and sessions (Java API, for arranging and asserting) ----

    /** Writes a key as an unconditional PUT would. */
    public void putKv(String dc, String key, String value) {
        requireText("key", key);
        store.write(() -> store.kvSet(javaDc(dc), key, 0, value == null ? null : value.getBytes(StandardCharsets.UTF_8)));
    }

    /** The value of a key (UTF-8), "" for an empty value, or null when the key does not exist. */
    public String kv(String dc, String key) {
        store.lock.lock();
        try {
            Kv entry = javaDc(dc).kv.get(key);
            return entry == null ? null : entry.value == null ? "" : new String(entry.value, StandardCharsets.UTF_8);
        } finally {
            store.lock.unlock();
        }
    }

    /** The session holding the lock on a key, or null. */
    public String kvLockHolder(String dc, String key) {
        store.lock.lock();
        try {
            Kv entry = javaDc(dc).kv.get(key);
            return entry == null ? null : entry.session;
        } finally {
            store.lock.unlock();
        }
    }

    /** Ids of the live sessions of a datacenter. */
    public List<String> sessions(String dc) {
        store.lock.lock();
        try {
            return new ArrayList<>(javaDc(dc).sessions.keySet());
        } finally {
            store.lock.unlock();
        }
    }

    /** Invalidates a session now, exactly as its TTL expiry would; false when it does not exist. */
    public boolean expireSession(String dc, String sessionId) {
        return store.write(() -> store.expireNow(javaDc(dc), sessionId));
    }

    /** The smallest session TTL accepted (Consul's {@code session_ttl_min}, 10s by default). */
    public void sessionTtlMin(Duration min) {
        if (min == null || min.isNegative()) {
            throw new IllegalArgumentException("session TTL minimum must be >= 0");
        }
        this.sessionTtlMin = min.toNanos();
    }

    /**
     * HTTP status of an invalid {@code ?filter=}: 500 by default, as a real Consul answers (the
     * evaluator fails on the server, behind the RPC layer; hashicorp/consul#7338). Set 400 to
     * pretend the agent validated it.
     */
    public void badFilterStatus(int status) {
        if (status != 400 && status != 500) {
            throw new IllegalArgumentException("bad filter status must be 400 or 500, got " + status);
        }
        this.badFilterStatus = status;
    }

    // ---- ACL, recording, faults ----

    /**
     * Requires {@code X-Consul-Token: <token>} on every request but {@code /v1/catalog/datacenters}
     * and {@code /v1/status/*}: a wrong token gets 403 {@code ACL not found}, a missing one 403
     * {@code Permission denied}. A {@code ?token=} query parameter is never accepted (see
     * {@link #tokenSeenInUrl()}). Null turns ACLs off.
     */
    public void requireToken(String token) {
        this.requiredToken = token;
    }

    /** True once any request carried a {@code token} query parameter (tokens belong in a header, never in a URL). */
    public boolean tokenSeenInUrl() {
        return tokenSeenInUrl;
    }

    /** The last requests (up to 1000), oldest first, as {@code METHOD /path?query}; no header, a {@code token} parameter's value hidden. */
    public List<String> requests() {
        synchronized (requestLog) {
            return new ArrayList<>(requestLog);
        }
    }

    public long requestCount() {
        return requestCount.get();
    }

    /** Requests whose raw path starts with {@code pathPrefix}, e.g. {@code /v1/kv/locks/}. */
    public long requestCount(String pathPrefix) {
        long total = 0;
        for (Map.Entry<String, LongAdder> e : requestsByPath.entrySet()) {
            if (e.getKey().startsWith(pathPrefix)) {
                total += e.getValue().sum();
            }
        }
        return total;
    }

    /** Forgets recorded requests and counters (not {@link #tokenSeenInUrl()}). */
    public void clearRequests() {
        synchronized (requestLog) {
            requestLog.clear();
        }
        requestCount.set(0);
        requestsByPath.clear();
    }

    public ConsulFaults faults() {
        return faults;
    }

    /** Blocking queries currently parked waiting for a change. */
    public int blockedQueries() {
        return store.blocked();
    }

    /** Waits until at least {@code count} blocking queries are parked; false on timeout. */
    public boolean awaitBlockedQueries(int count, Duration timeout) throws InterruptedException {
        return store.awaitBlocked(count, timeout.toNanos());
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        store.close();
        server.stop(0);
        executor.shutdownNow();
        scheduler.shutdownNow();
    }

    @Override
    public String toString() {
        return "SandboxConsul[" + uri() + ", datacenters=" + datacenters() + "]";
    }

    private Dc javaDc(String dc) {
        try {
            return store.dc(dc);
        } catch (ApiException e) {
            throw new IllegalArgumentException("unknown datacenter '" + dc + "'; this sandbox serves " + datacenters());
        }
    }

    private static void requireText(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
    }

    // ---- HTTP ----

    /** An answer: status, content type (null for no body) and headers. */
    private record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply text(int status, String message) {
            return new Reply(status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    /** Parsed query parameters, decoded as Go's url.ParseQuery does ('+' is a space). */
    private static final class Query {
        final Map<String, List<String>> params = new LinkedHashMap<>();

        static Query parse(String raw) {
            Query q = new Query();
            if (raw == null || raw.isEmpty()) {
                return q;
            }
            for (String pair : raw.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                q.params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            return q;
        }

        boolean has(String name) {
            return params.containsKey(name);
        }

        String get(String name) {
            List<String> values = params.get(name);
            return values == null ? "" : values.get(0);
        }

        List<String> all(String name) {
            return params.getOrDefault(name, List.of());
        }

        /** Go's url.Values.Encode: sorted by key. */
        String encode() {
            StringBuilder out = new StringBuilder();
            for (Map.Entry<String, List<String>> e : new TreeMap<>(params).entrySet()) {
                for (String v : e.getValue()) {
                    if (out.length() > 0) {
                        out.append('&');
                    }
                    out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                            .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            }
            return out.toString();
        }
    }

    private void handle(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        URI uri = exchange.getRequestURI();
        String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
        String rawQuery = uri.getRawQuery();
        record(method, rawPath, rawQuery);
        try {
            byte[] body = readBody(exchange.getRequestBody());
            Query query;
            try {
                query = Query.parse(rawQuery);
            } catch (IllegalArgumentException e) {
                send(exchange, new Reply(500, null, null, Map.of()));
                return;
            }
            if (query.has("token")) {
                tokenSeenInUrl = true;
            }
            ConsulFaults.Decision decision = faults.decide();
            if (!decision.latency().isZero()) {
                Thread.sleep(decision.latency().toMillis(), decision.latency().toNanosPart() % 1_000_000);
            }
            if (decision.drop()) {
                exchange.close();
                return;
            }
            if (decision.lostLeader()) {
                send(exchange, Reply.text(500, "No cluster leader"));
                return;
            }
            if (decision.failStatus() > 0) {
                int status = decision.failStatus();
                Map<String, String> headers = status == 429 ? Map.of("Retry-After", "0") : Map.of();
                String message = status == 429 ? "rate limit exceeded" : "sandbox: injected HTTP " + status;
                send(exchange, new Reply(status, "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8), headers));
                return;
            }
            Reply reply = route(method, uri.getPath() == null ? "/" : uri.getPath(), rawPath, query, body,
                    exchange.getRequestHeaders());
            boolean write = method.equals("PUT") || method.equals("DELETE") || method.equals("POST");
            if (write && faults.takeFailAfterApply()) {
                exchange.close();
                return;
            }
            send(exchange, reply);
        } catch (MethodNotAllowed e) {
            send(exchange, new Reply(405, "text/plain; charset=utf-8", e.getMessage().getBytes(StandardCharsets.UTF_8),
                    Map.of("Allow", e.allow)));
        } catch (ApiException e) {
            send(exchange, Reply.text(e.status, e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
        } catch (IOException e) {
            exchange.close();
        } catch (RuntimeException e) {
            send(exchange, Reply.text(500, String.valueOf(e)));
        }
    }

    private void record(String method, String rawPath, String rawQuery) {
        requestCount.incrementAndGet();
        requestsByPath.computeIfAbsent(rawPath, k -> new LongAdder()).increment();
        String line = method + " " + rawPath + (rawQuery == null ? "" : "?" + hideToken(rawQuery));
        synchronized (requestLog) {
            requestLog.addLast(line);
            while (requestLog.size() > REQUEST_LOG_SIZE) {
                requestLog.removeFirst();
            }
        }
    }

    private static String hideToken(String rawQuery) {
        StringBuilder out = new StringBuilder();
        for (String pair : rawQuery.split("&", -1)) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(pair.startsWith("token=") || pair.equals("token") ? "token=<hidden>" : pair);
        }
        return out.toString();
    }

    private static byte[] readBody(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, Reply reply) {
        try {
            Headers headers = exchange.getResponseHeaders();
            reply.headers().forEach(headers::set);
            if (reply.contentType() != null) {
                headers.set("Content-Type", reply.contentType());
            }
            byte[] body = reply.body();
            exchange.sendResponseHeaders(reply.status(), body == null || body.length == 0 ? -1 : body.length);
            if (body != null && body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            exchange.close();
        }
    }

    private Reply route(String method, String path, String rawPath, Query q, byte[] body, Headers headers)
            throws InterruptedException {
        if (path.equals("/v1/catalog/datacenters")) {
            requireMethod(method, "GET");
            return jsonReply(store.datacenterNames(), null);
        }
        if (path.equals("/v1/status/leader")) {
            requireMethod(method, "GET");
            return jsonReply("127.0.0.1:8300", null);
        }
        Dc dc;
        if (path.startsWith("/v1/kv/") || path.equals("/v1/kv")) {
            dc = store.dc(q.get("dc"));
            checkToken(headers);
            return kv(method, dc, path.equals("/v1/kv") ? "" : path.substring("/v1/kv/".length()), rawPath, q, body);
        }
        if (path.equals("/v1/catalog/services")) {
            requireMethod(method, "GET");
            dc = store.dc(q.get("dc"));
            checkToken(headers);
            return catalogServices(dc, q);
        }
        if (path.startsWith("/v1/catalog/service/")) {
            requireMethod(method, "GET");
            dc = store.dc(q.get("dc"));
            checkToken(headers);
            return serviceQuery(dc, path.substring("/v1/catalog/service/".length()), q, false);
        }
        if (path.startsWith("/v1/health/service/")) {
            requireMethod(method, "GET");
            dc = store.dc(q.get("dc"));
            checkToken(headers);
            return serviceQuery(dc, path.substring("/v1/health/service/".length()), q, true);
        }
        if (path.startsWith("/v1/session/")) {
            dc = store.dc(q.get("dc"));
            checkToken(headers);
            return session(method, dc, path.substring("/v1/session/".length()), q, body);
        }
        return Reply.text(404, "Invalid URL path: not a recognized HTTP API endpoint\n");
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new MethodNotAllowed(method, "OPTIONS," + allowed);
        }
    }

    /** Consul's MethodNotAllowedError: 405 with an Allow header. */
    private static final class MethodNotAllowed extends ApiException {
        final String allow;

        MethodNotAllowed(String method, String allow) {
            super(405, "method " + method + " not allowed");
            this.allow = allow;
        }
    }

    private void checkToken(Headers headers) {
        String required = requiredToken;
        if (required == null) {
            return;
        }
        String token = headers.getFirst("X-Consul-Token");
        if (token == null || token.isEmpty()) {
            String authorization = headers.getFirst("Authorization");
            if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                token = authorization.substring(7).trim();
            }
        }
        if (token == null || token.isEmpty()) {
            throw new ApiException(403, "Permission denied");
        }
        if (!token.equals(required)) {
            throw new ApiException(403, "ACL not found");
        }
    }

    private Reply jsonReply(Object value, Long index) {
        Map<String, String> headers = index == null ? Map.of() : indexHeaders(index);
        try {
            return new Reply(200, "application/json", json.writeValueAsBytes(value), headers);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> indexHeaders(long index) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Consul-Index", Long.toString(Math.max(1, index)));
        headers.put("X-Consul-KnownLeader", "true");
        headers.put("X-Consul-LastContact", "0");
        headers.put("X-Consul-Effective-Consistency", "leader");
        return headers;
    }

    /** ?index= and ?wait= as Consul parses them; wait defaults to 5m, is capped at 10m, plus up to wait/16 of jitter. */
    private static long[] blocking(Query q) {
        long wait = 0;
        String waitText = q.get("wait");
        if (!waitText.isEmpty()) {
            try {
                wait = GoDuration.parseNanos(waitText);
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "Invalid wait time");
            }
        }
        long index = 0;
        String indexText = q.get("index");
        if (!indexText.isEmpty()) {
            try {
                index = Long.parseUnsignedLong(indexText);
            } catch (NumberFormatException e) {
                throw new ApiException(400, "Invalid index");
            }
        }
        if (wait <= 0) {
            wait = DEFAULT_WAIT;
        }
        if (wait > MAX_WAIT) {
            wait = MAX_WAIT;
        }
        long jitter = wait / 16 > 0 ? ThreadLocalRandom.current().nextLong(wait / 16) : 0;
        return new long[] {index, wait + jitter};
    }

    // ---- KV ----

    private Reply kv(String method, Dc dc, String key, String rawPath, Query q, byte[] body) throws InterruptedException {
        if (rawPath.contains("../") || rawPath.contains("..\\")) {
            throw new ApiException(400, "URL path contains invalid traversal sequence");
        }
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains("%2e%2e%2f") || lower.contains("%2e%2e/") || lower.contains("..%2f") || lower.contains("%2e%2e%5c")) {
            throw new ApiException(400, "URL path contains encoded traversal sequence");
        }
        if (!key.isEmpty()) {
            if (!key.strip().equals(key)) {
                throw new ApiException(400, "key must not have leading or trailing whitespace");
            }
            if (key.contains("../") || key.contains("..\\")) {
                throw new ApiException(400, "key contains path traversal sequence");
            }
        }
        switch (method) {
            case "GET":
                return kvGet(dc, key, q);
            case "PUT":
                return kvPut(dc, key, q, body);
            case "DELETE":
                return kvDelete(dc, key, q);
            default:
                throw new MethodNotAllowed(method, "GET,PUT,DELETE");
        }
    }

    private Reply kvGet(Dc dc, String key, Query q) throws InterruptedException {
        long[] blocking = blocking(q);
        if (q.has("keys")) {
            String separator = q.has("separator") ? q.get("separator") : q.get("seperator");
            Result<List<String>> r = store.query(blocking[0], blocking[1], () -> {
                Result<List<Kv>> list = store.kvList(dc, key);
                List<String> keys = new ArrayList<>();
                for (Kv e : list.value()) {
                    String after = e.key.substring(key.length());
                    int at = separator.isEmpty() ? -1 : after.indexOf(separator);
                    String k = at < 0 ? e.key : e.key.substring(0, key.length() + at + separator.length());
                    if (keys.isEmpty() || !keys.get(keys.size() - 1).equals(k)) {
                        keys.add(k);
                    }
                }
                return new Result<>(list.index(), keys);
            });
            if (r.value().isEmpty() && !key.isEmpty()) {
                return new Reply(404, null, null, indexHeaders(r.index()));
            }
            return jsonReply(r.value(), r.index());
        }
        if (q.has("recurse")) {
            Result<List<Map<String, Object>>> r = store.query(blocking[0], blocking[1], () -> {
                Result<List<Kv>> list = store.kvList(dc, key);
                List<Map<String, Object>> out = new ArrayList<>();
                list.value().forEach(e -> out.add(e.json()));
                return new Result<>(list.index(), out);
            });
            if (r.value().isEmpty()) {
                return new Reply(404, null, null, indexHeaders(r.index()));
            }
            return jsonReply(r.value(), r.index());
        }
        if (key.isEmpty()) {
            throw new ApiException(400, "Missing key name");
        }
        Result<Kv> r = store.query(blocking[0], blocking[1], () -> store.kvGet(dc, key));
        if (r.value() == null) {
            return new Reply(404, null, null, indexHeaders(r.index()));
        }
        if (q.has("raw")) {
            Map<String, String> headers = indexHeaders(r.index());
            headers.put("X-Content-Type-Options", "nosniff");
            headers.put("Content-Security-Policy", "sandbox");
            return new Reply(200, "text/plain", r.value().value == null ? new byte[0] : r.value().value, headers);
        }
        return jsonReply(List.of(r.value().json()), r.index());
    }

    private Reply kvPut(Dc dc, String key, Query q, byte[] body) {
        if (key.isEmpty()) {
            throw new ApiException(400, "Missing key name");
        }
        conflicting(q, "cas", "acquire", "release");
        long flags = q.has("flags") ? parseUint(q.get("flags")) : 0;
        if (body.length > KV_MAX_VALUE_SIZE) {
            throw new ApiException(413, "Request body(" + body.length + " bytes) too large, max size: " + KV_MAX_VALUE_SIZE
                    + " bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.");
        }
        boolean result;
        if (q.has("acquire")) {
            result = store.write(() -> store.kvLock(dc, key, flags, body, q.get("acquire")));
        } else if (q.has("release")) {
            result = store.write(() -> store.kvUnlock(dc, key, flags, body, q.get("release")));
        } else if (q.has("cas")) {
            long cas = parseUint(q.get("cas"));
            result = store.write(() -> store.kvCas(dc, key, flags, body, cas));
        } else {
            result = store.write(() -> store.kvSet(dc, key, flags, body));
        }
        return jsonReply(result, null);
    }

    private Reply kvDelete(Dc dc, String key, Query q) {
        conflicting(q, "recurse", "cas");
        boolean result;
        if (q.has("recurse")) {
            result = store.write(() -> store.kvDeleteTree(dc, key));
        } else if (key.isEmpty()) {
            throw new ApiException(400, "Missing key name");
        } else if (q.has("cas")) {
            long cas = parseUint(q.get("cas"));
            result = store.write(() -> store.kvDeleteCas(dc, key, cas));
        } else {
            result = store.write(() -> store.kvDelete(dc, key));
        }
        return jsonReply(result, null);
    }

    private static void conflicting(Query q, String... flags) {
        boolean found = false;
        for (String flag : flags) {
            if (q.has(flag)) {
                if (found) {
                    throw new ApiException(400, "Conflicting flags: " + q.encode() + "\n");
                }
                found = true;
            }
        }
    }

    /** Go's strconv.ParseUint(s, 10, 64), with its error text (Consul answers it as a 500). */
    private static long parseUint(String text) {
        try {
            if (text.isEmpty() || text.startsWith("+") || text.startsWith("-")) {
                throw new NumberFormatException();
            }
            return Long.parseUnsignedLong(text);
        } catch (NumberFormatException e) {
            throw new ApiException(500, "strconv.ParseUint: parsing \"" + text + "\": invalid syntax");
        }
    }

    // ---- catalog and health ----

    private Reply catalogServices(Dc dc, Query q) throws InterruptedException {
        long[] blocking = blocking(q);
        Result<Map<String, List<String>>> r = store.query(blocking[0], blocking[1], () -> {
            Map<String, Set<String>> tags = new TreeMap<>();
            for (Service s : dc.services.values()) {
                tags.computeIfAbsent(s.name, k -> new LinkedHashSet<>()).addAll(s.tags);
            }
            Map<String, List<String>> out = new TreeMap<>();
            tags.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
            return new Result<>(Math.max(1, dc.catalogIndex), out);
        });
        return jsonReply(r.value(), r.index());
    }

    private Reply serviceQuery(Dc dc, String service, Query q, boolean health) throws InterruptedException {
        long[] blocking = blocking(q);
        if (service.isEmpty()) {
            throw new ApiException(400, "Missing service name");
        }
        boolean passing = false;
        if (health && q.has("passing")) {
            String v = q.get("passing");
            switch (v) {
                case "": case "1": case "t": case "T": case "true": case "TRUE": case "True":
                    passing = true;
                    break;
                case "0": case "f": case "F": case "false": case "FALSE": case "False":
                    break;
                default:
                    throw new ApiException(400, "Invalid value for ?passing");
            }
        }
        Filter filter = null;
        String expression = q.get("filter");
        if (!expression.isEmpty()) {
            try {
                filter = Filter.parse(expression, health ? Filter.HEALTH_SERVICE : Filter.CATALOG_SERVICE);
            } catch (Filter.FilterException e) {
                ApiException error = store.rpcError(dc, e.getMessage());
                throw new ApiException(badFilterStatus, error.getMessage());
            }
        }
        List<String> tags = q.all("tag");
        Filter f = filter;
        boolean onlyPassing = passing;
        Result<List<Map<String, Object>>> r = store.query(blocking[0], blocking[1], () -> {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Service s : store.instances(dc, service)) {
                if (!health && !tags.isEmpty() && !s.tags.contains(tags.get(0))) {
                    continue;
                }
                if (health && !s.tags.containsAll(tags)) {
                    continue;
                }
                Map<String, Object> entry = health ? healthEntry(dc, s) : catalogEntry(dc, s);
                if (f != null && !f.matches(entry)) {
                    continue;
                }
                if (onlyPassing && !allPassing(entry)) {
                    continue;
                }
                out.add(entry);
            }
            return new Result<>(store.serviceQueryIndex(dc, service), out);
        });
        return jsonReply(r.value(), r.index());
    }

    private static boolean allPassing(Map<String, Object> healthEntry) {
        for (Object check : (List<?>) healthEntry.get("Checks")) {
            if (!"passing".equals(((Map<?, ?>) check).get("Status"))) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> catalogEntry(Dc dc, Service s) {
        ConsulStore.Node node = dc.nodes.get(s.node);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ID", ConsulStore.nodeId(dc.name, s.node));
        m.put("Node", s.node);
        m.put("Address", node.address);
        m.put("Datacenter", dc.name);
        m.put("TaggedAddresses", null);
        m.put("NodeMeta", Map.of());
        m.put("ServiceKind", "");
        m.put("ServiceID", s.id);
        m.put("ServiceName", s.name);
        m.put("ServiceTags", s.tags);
        m.put("ServiceAddress", s.address);
        m.put("ServiceWeights", Map.of("Passing", 1, "Warning", 1));
        m.put("ServiceMeta", s.meta);
        m.put("ServicePort", s.port);
        m.put("ServiceEnableTagOverride", false);
        m.put("CreateIndex", s.createIndex);
        m.put("ModifyIndex", s.modifyIndex);
        return m;
    }

    private static Map<String, Object> healthEntry(Dc dc, Service s) {
        ConsulStore.Node node = dc.nodes.get(s.node);
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("ID", ConsulStore.nodeId(dc.name, s.node));
        n.put("Node", s.node);
        n.put("Address", node.address);
        n.put("Datacenter", dc.name);
        n.put("TaggedAddresses", null);
        n.put("Meta", Map.of());
        n.put("CreateIndex", node.createIndex);
        n.put("ModifyIndex", node.modifyIndex);
        Map<String, Object> svc = new LinkedHashMap<>();
        svc.put("Kind", "");
        svc.put("ID", s.id);
        svc.put("Service", s.name);
        svc.put("Tags", s.tags);
        svc.put("Address", s.address);
        svc.put("Meta", s.meta);
        svc.put("Port", s.port);
        svc.put("Weights", Map.of("Passing", 1, "Warning", 1));
        svc.put("EnableTagOverride", false);
        svc.put("CreateIndex", s.createIndex);
        svc.put("ModifyIndex", s.modifyIndex);
        List<Map<String, Object>> checks = new ArrayList<>();
        node.checks.values().forEach(c -> checks.add(c.json(List.of())));
        s.checks.values().forEach(c -> checks.add(c.json(s.tags)));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Node", n);
        m.put("Service", svc);
        m.put("Checks", checks);
        return m;
    }

    // ---- sessions ----

    private Reply session(String method, Dc dc, String rest, Query q, byte[] body) throws InterruptedException {
        if (rest.equals("create")) {
            requireMethod(method, "PUT");
            return sessionCreate(dc, body);
        }
        if (rest.startsWith("destroy/") || rest.equals("destroy")) {
            requireMethod(method, "PUT");
            String id = rest.equals("destroy") ? "" : rest.substring("destroy/".length());
            if (id.isEmpty()) {
                throw new ApiException(400, "Missing session");
            }
            return jsonReply(store.write(() -> store.sessionDestroy(dc, id)), null);
        }
        if (rest.startsWith("renew/") || rest.equals("renew")) {
            requireMethod(method, "PUT");
            String id = rest.equals("renew") ? "" : rest.substring("renew/".length());
            if (id.isEmpty()) {
                throw new ApiException(400, "Missing session");
            }
            List<Map<String, Object>> renewed = store.write(() -> {
                Session s = store.sessionRenew(dc, id);
                return s == null ? null : List.of(s.json());
            });
            if (renewed == null) {
                return Reply.text(404, "Session id '" + id + "' not found");
            }
            return jsonReply(renewed, null);
        }
        if (rest.startsWith("info/") || rest.equals("info")) {
            requireMethod(method, "GET");
            String id = rest.equals("info") ? "" : rest.substring("info/".length());
            long[] blocking = blocking(q);
            if (id.isEmpty()) {
                throw new ApiException(400, "Missing session");
            }
            Result<List<Map<String, Object>>> r = store.query(blocking[0], blocking[1], () -> {
                Result<List<Session>> info = store.sessionInfo(dc, id);
                List<Map<String, Object>> out = new ArrayList<>();
                info.value().forEach(s -> out.add(s.json()));
                return new Result<>(info.index(), out);
            });
            return jsonReply(r.value(), r.index());
        }
        if (rest.equals("list")) {
            requireMethod(method, "GET");
            long[] blocking = blocking(q);
            Result<List<Map<String, Object>>> r = store.query(blocking[0], blocking[1], () -> {
                Result<List<Session>> list = store.sessionList(dc);
                List<Map<String, Object>> out = new ArrayList<>();
                list.value().forEach(s -> out.add(s.json()));
                return new Result<>(list.index(), out);
            });
            return jsonReply(r.value(), r.index());
        }
        return Reply.text(404, "Invalid URL path: not a recognized HTTP API endpoint\n");
    }

    private Reply sessionCreate(Dc dc, byte[] body) {
        String name = "";
        String node = store.agentNode();
        long lockDelay = Duration.ofSeconds(15).toNanos();
        String behavior = "";
        String ttl = "";
        List<String> nodeChecks = List.of("serfHealth");
        if (body.length > 0) {
            JsonNode root;
            try {
                root = json.readTree(body);
            } catch (JsonProcessingException e) {
                throw new ApiException(400, "Request decode failed: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new ApiException(400, "Request decode failed: " + e.getMessage());
            }
            if (root == null || !root.isObject()) {
                throw new ApiException(400, "Request decode failed: json: cannot unmarshal "
                        + (root == null ? "null" : root.getNodeType().toString().toLowerCase(Locale.ROOT))
                        + " into Go value of type structs.Session");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode v = field.getValue();
                switch (field.getKey().toLowerCase(Locale.ROOT)) {
                    case "name":
                        name = stringField("Name", v);
                        break;
                    case "node":
                        node = v.isNull() ? "" : stringField("Node", v);
                        break;
                    case "behavior":
                        behavior = stringField("Behavior", v);
                        break;
                    case "ttl":
                        ttl = stringField("TTL", v);
                        break;
                    case "lockdelay":
                        lockDelay = lockDelay(v);
                        break;
                    case "checks":
                    case "nodechecks":
                        nodeChecks = stringList(field.getKey(), v);
                        break;
                    default:
                        break;
                }
            }
        }
        if (node.isEmpty()) {
            throw store.rpcError(dc, "Must provide Node");
        }
        if (behavior.isEmpty()) {
            behavior = "release";
        } else if (!behavior.equals("release") && !behavior.equals("delete")) {
            throw store.rpcError(dc, "Invalid Behavior setting '" + behavior + "'");
        }
        long ttlNanos = 0;
        if (!ttl.isEmpty()) {
            try {
                ttlNanos = GoDuration.parseNanos(ttl);
            } catch (IllegalArgumentException e) {
                throw store.rpcError(dc, "Session TTL '" + ttl + "' invalid: " + e.getMessage());
            }
            if (ttlNanos != 0 && (ttlNanos < sessionTtlMin || ttlNanos > SESSION_TTL_MAX)) {
                throw store.rpcError(dc, "Invalid Session TTL '" + ttlNanos + "', must be between ["
                        + GoDuration.format(sessionTtlMin) + "=" + GoDuration.format(SESSION_TTL_MAX) + "]");
            }
        }
        String sessionName = name;
        String sessionNode = node;
        String sessionBehavior = behavior;
        String sessionTtl = ttl;
        long delay = lockDelay;
        long ttlN = ttlNanos;
        List<String> checks = nodeChecks;
        Session s = store.write(() -> store.sessionCreate(dc, sessionName, sessionNode, delay, sessionBehavior, sessionTtl,
                ttlN, checks));
        return jsonReply(Map.of("ID", s.id), null);
    }

    private static String stringField(String name, JsonNode v) {
        if (!v.isTextual()) {
            throw new ApiException(400, "Request decode failed: json: cannot unmarshal " + v.getNodeType().toString()
                    .toLowerCase(Locale.ROOT) + " into Go struct field Session." + name + " of type string");
        }
        return v.asText();
    }

    private static List<String> stringList(String name, JsonNode v) {
        if (v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new ApiException(400, "Request decode failed: json: cannot unmarshal " + v.getNodeType().toString()
                    .toLowerCase(Locale.ROOT) + " into Go struct field Session." + name + " of type []types.CheckID");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            out.add(stringField(name, e));
        }
        return out;
    }

    /** Consul's FixupLockDelay: a duration string or a number of nanoseconds; values under 1000 mean seconds. */
    private static long lockDelay(JsonNode v) {
        long nanos;
        if (v.isTextual()) {
            try {
                nanos = GoDuration.parseNanos(v.asText());
            } catch (IllegalArgumentException e) {
                throw new ApiException(400, "Request decode failed: " + e.getMessage());
            }
        } else if (v.isNumber()) {
            nanos = v.asLong();
        } else {
            throw new ApiException(400, "Request decode failed: json: cannot unmarshal " + v.getNodeType().toString()
                    .toLowerCase(Locale.ROOT) + " into Go struct field Session.LockDelay of type time.Duration");
        }
        return nanos < 1000 ? nanos * 1_000_000_000L : nanos;
    }
}
