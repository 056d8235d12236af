package io.infrasteps.engine.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Consul's HTTP API (KV with CAS, blocking queries, catalog, health, sessions) over
 * {@code java.net.http}. Every request goes to one agent and may address another datacenter
 * with {@code ?dc=}. Failures are retried with backoff and jitter within the retry policy's
 * deadline; the final error names the datacenter, the endpoint and the key. The ACL token is
 * sent only as the {@code X-Consul-Token} header and never appears in messages.
 */
public final class ConsulClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final char[] token;
    private final HttpClient http;
    private final RetryPolicy retry;
    private final Duration requestTimeout;
    private final String label;

    /**
     * @param base  the agent's HTTP API, e.g. {@code https://stage-x-us-ashburn-1-consul.example.com}
     * @param token ACL token, or null (copied; never logged)
     */
    public ConsulClient(URI base, char[] token, RetryPolicy retry, Duration requestTimeout) {
        if (base == null || !("http".equals(base.getScheme()) || "https".equals(base.getScheme())) || base.getHost() == null) {
            throw new InvalidInputException("consul", "is not an http(s) URL", "an http:// or https:// URL of a Consul agent");
        }
        this.base = URI.create(base.getScheme() + "://" + base.getRawAuthority());
        this.token = token == null ? null : token.clone();
        this.retry = retry;
        this.requestTimeout = requestTimeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
        this.label = "consul " + this.base;
    }

    // ---- KV ----

    /** Reads one key; {@code value()} is null when the key does not exist. A blocking query when {@code index > 0}. */
    public Indexed<KvEntry> get(String dc, String key, long index, Duration wait, Cancellation cancellation) {
        ConsulPaths.key("key", key);
        Response response = send("GET", dc, "/v1/kv/" + encodePath(key), query(index, wait), null, key, wait, cancellation);
        if (response.status == 404) {
            return new Indexed<>(null, response.index);
        }
        List<KvEntry> entries = kvEntries(response, dc, key);
        return new Indexed<>(entries.isEmpty() ? null : entries.get(0), response.index);
    }

    /** Every entry under a prefix (empty list when none). */
    public Indexed<List<KvEntry>> list(String dc, String prefix, long index, Duration wait, Cancellation cancellation) {
        ConsulPaths.prefix("prefix", prefix);
        Map<String, String> query = query(index, wait);
        query.put("recurse", "true");
        Response response = send("GET", dc, "/v1/kv/" + encodePath(prefix), query, null, prefix, wait, cancellation);
        return new Indexed<>(response.status == 404 ? List.of() : kvEntries(response, dc, prefix), response.index);
    }

    /**
     * Writes a key. {@code cas}: null writes unconditionally, 0 creates only if absent, N writes
     * only if the key's modify index is still N. Returns false when the CAS did not hold.
     */
    public boolean put(String dc, String key, String value, Long cas, Cancellation cancellation) {
        ConsulPaths.key("key", key);
        Map<String, String> query = new HashMap<>();
        if (cas != null) {
            query.put("cas", Long.toString(cas));
        }
        return bool(send("PUT", dc, "/v1/kv/" + encodePath(key), query, value, key, null, cancellation), dc, key);
    }

    /** Takes the lock on {@code key} for {@code session}; false when another session holds it. */
    public boolean acquire(String dc, String key, String value, String session, Cancellation cancellation) {
        ConsulPaths.key("key", key);
        Inputs.require("session", session, ConsulPaths.SESSION_ID);
        return bool(send("PUT", dc, "/v1/kv/" + encodePath(key), Map.of("acquire", session), value, key, null, cancellation), dc, key);
    }

    /** Releases the lock on {@code key} held by {@code session}. */
    public boolean release(String dc, String key, String session, Cancellation cancellation) {
        ConsulPaths.key("key", key);
        Inputs.require("session", session, ConsulPaths.SESSION_ID);
        return bool(send("PUT", dc, "/v1/kv/" + encodePath(key), Map.of("release", session), null, key, null, cancellation), dc, key);
    }

    /** Deletes a key (or, with {@code recurse}, a prefix); with {@code cas}, only if unchanged since. */
    public boolean delete(String dc, String key, Long cas, boolean recurse, Cancellation cancellation) {
        if (recurse) {
            ConsulPaths.prefix("key", key);
        } else {
            ConsulPaths.key("key", key);
        }
        Map<String, String> query = new HashMap<>();
        if (cas != null) {
            query.put("cas", Long.toString(cas));
        }
        if (recurse) {
            query.put("recurse", "true");
        }
        return bool(send("DELETE", dc, "/v1/kv/" + encodePath(key), query, null, key, null, cancellation), dc, key);
    }

    // ---- catalog and health ----

    public List<String> datacenters(Cancellation cancellation) {
        Response response = send("GET", null, "/v1/catalog/datacenters", new HashMap<>(), null, null, null, cancellation);
        List<String> result = new ArrayList<>();
        for (JsonNode dc : json(response, null, null)) {
            result.add(dc.asText());
        }
        return result;
    }

    /** Catalog entries of a service, filtered with a Consul filter expression (or null). */
    public Indexed<List<ServiceInstance>> catalogService(String dc, String service, String filter, long index, Duration wait,
                                                         Cancellation cancellation) {
        Inputs.require("service", service, Inputs.HAPROXY_NAME);
        Map<String, String> query = query(index, wait);
        if (filter != null) {
            query.put("filter", filter);
        }
        Response response = send("GET", dc, "/v1/catalog/service/" + service, query, null, null, wait, cancellation);
        List<ServiceInstance> instances = new ArrayList<>();
        for (JsonNode node : json(response, dc, null)) {
            instances.add(new ServiceInstance(dc, node.path("Node").asText(), node.path("ServiceID").asText(),
                    node.path("ServiceAddress").asText().isEmpty() ? node.path("Address").asText() : node.path("ServiceAddress").asText(),
                    node.path("ServicePort").asInt(), stringMap(node.path("ServiceMeta")), List.of()));
        }
        return new Indexed<>(instances, response.index);
    }

    /** Instances of a service with their checks; {@code passingOnly} keeps only those with every check passing. */
    public Indexed<List<ServiceInstance>> healthService(String dc, String service, String filter, boolean passingOnly, long index,
                                                        Duration wait, Cancellation cancellation) {
        Inputs.require("service", service, Inputs.HAPROXY_NAME);
        Map<String, String> query = query(index, wait);
        if (filter != null) {
            query.put("filter", filter);
        }
        if (passingOnly) {
            query.put("passing", "true");
        }
        Response response = send("GET", dc, "/v1/health/service/" + service, query, null, null, wait, cancellation);
        List<ServiceInstance> instances = new ArrayList<>();
        for (JsonNode entry : json(response, dc, null)) {
            JsonNode svc = entry.path("Service");
            List<ServiceInstance.Check> checks = new ArrayList<>();
            for (JsonNode check : entry.path("Checks")) {
                checks.add(new ServiceInstance.Check(check.path("CheckID").asText(), check.path("Name").asText(),
                        check.path("Status").asText(), check.path("Output").asText()));
            }
            String address = svc.path("Address").asText();
            instances.add(new ServiceInstance(dc, entry.path("Node").path("Node").asText(), svc.path("ID").asText(),
                    address.isEmpty() ? entry.path("Node").path("Address").asText() : address, svc.path("Port").asInt(),
                    stringMap(svc.path("Meta")), checks));
        }
        return new Indexed<>(instances, response.index);
    }

    // ---- sessions ----

    /** Creates a session that Consul deletes (releasing its locks) when not renewed within {@code ttl}. */
    public String createSession(String dc, String name, Duration ttl, Cancellation cancellation) {
        String body = JSON.createObjectNode().put("Name", name).put("TTL", ttl.toSeconds() + "s")
                .put("Behavior", "release").put("LockDelay", "0s").toString();
        Response response = send("PUT", dc, "/v1/session/create", new HashMap<>(), body, null, null, cancellation);
        String id = json(response, dc, null).path("ID").asText();
        if (!ConsulPaths.SESSION_ID.matches(id)) {
            throw new ConsulException(where(dc, "PUT /v1/session/create", null) + ": answer has no session ID", response.status, null);
        }
        return id;
    }

    /** Renews a session; false when it no longer exists (expired or destroyed). */
    public boolean renewSession(String dc, String session, Cancellation cancellation) {
        Inputs.require("session", session, ConsulPaths.SESSION_ID);
        return send("PUT", dc, "/v1/session/renew/" + session, new HashMap<>(), null, null, null, cancellation).status != 404;
    }

    public void destroySession(String dc, String session, Cancellation cancellation) {
        Inputs.require("session", session, ConsulPaths.SESSION_ID);
        send("PUT", dc, "/v1/session/destroy/" + session, new HashMap<>(), null, null, null, cancellation);
    }

    // ---- blocking-query index rules ----

    /**
     * The index for the next blocking query, as Consul documents it: an index that went
     * backwards (a snapshot restore, a new leader) resets to 0; never wait on 0 twice.
     */
    public static long nextIndex(long previous, long returned) {
        if (returned < previous || returned <= 0) {
            return 0;
        }
        return returned;
    }

    // ---- transport ----

    private static final class Response {
        final int status;
        final String body;
        final long index;

        Response(int status, String body, long index) {
            this.status = status;
            this.body = body;
            this.index = index;
        }
    }

    private static Map<String, String> query(long index, Duration wait) {
        Map<String, String> query = new HashMap<>();
        if (index > 0) {
            query.put("index", Long.toString(index));
            if (wait != null) {
                query.put("wait", Math.max(1, wait.toMillis()) + "ms");
            }
        }
        return query;
    }

    private Response send(String method, String dc, String path, Map<String, String> query, String body, String key,
                          Duration wait, Cancellation cancellation) {
        if (dc != null) {
            ConsulPaths.datacenter("datacenter", dc);
            query = new HashMap<>(query);
            query.put("dc", dc);
        }
        StringBuilder uri = new StringBuilder(base.toString()).append(path);
        char separator = '?';
        for (Map.Entry<String, String> q : new java.util.TreeMap<>(query).entrySet()) {
            uri.append(separator).append(q.getKey()).append('=').append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
            separator = '&';
        }
        // A blocking query may legitimately take `wait` plus Consul's up-to-wait/16 jitter.
        Duration timeout = wait == null ? requestTimeout : requestTimeout.plus(wait).plus(wait.dividedBy(16));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri.toString())).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("X-Consul-Token", new String(token));
        }
        HttpRequest built = request.build();
        String endpoint = method + " " + path;
        long deadline = System.nanoTime() + retry.deadline().toNanos();
        int attempt = 0;
        while (true) {
            attempt++;
            cancellation.throwIfCancelled();
            int status = -1;
            String problem;
            Throwable cause = null;
            try {
                HttpResponse<String> response = sendCancellable(built, cancellation);
                status = response.statusCode();
                if (status < 300 || status == 404) {
                    long index = response.headers().firstValueAsLong("X-Consul-Index").orElse(0);
                    return new Response(status, response.body(), index);
                }
                problem = "HTTP " + status + firstLine(response.body());
                // Consul answers a bad filter with a 500 that no retry can fix.
                if (!RetryPolicy.retryable(status) || response.body().contains("Failed to create boolean expression evaluator")) {
                    throw new ConsulException(where(dc, endpoint, key) + ": " + problem, status, null);
                }
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                cause = e;
            }
            long pause = retry.backoffMillis(attempt);
            if (System.nanoTime() + pause * 1_000_000 >= deadline) {
                throw new ConsulException(where(dc, endpoint, key) + ": " + problem + " (after " + attempt + " attempt"
                        + (attempt == 1 ? "" : "s") + ")", status, cause);
            }
            sleep(pause, cancellation);
        }
    }

    private HttpResponse<String> sendCancellable(HttpRequest request, Cancellation cancellation) throws IOException {
        CompletableFuture<HttpResponse<String>> future = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        try (AutoCloseable ignored = cancellation.onCancel(() -> future.cancel(true))) {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (java.util.concurrent.CancellationException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static void sleep(long millis, Cancellation cancellation) {
        Object monitor = new Object();
        try (AutoCloseable ignored = cancellation.onCancel(() -> {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        })) {
            synchronized (monitor) {
                if (!cancellation.isCancelled()) {
                    monitor.wait(Math.max(1, millis));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted");
        } catch (Exception e) {
            // unregistering the wake-up cannot fail in practice
        }
        cancellation.throwIfCancelled();
    }

    private String where(String dc, String endpoint, String key) {
        return label + " (datacenter " + (dc == null ? "of the agent" : dc) + ") " + endpoint.replaceAll("\\?.*", "")
                + (key == null ? "" : " key " + key);
    }

    private static String firstLine(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String line = body.strip().lines().findFirst().orElse("").replaceAll("\\p{Cntrl}", "?");
        return ": " + (line.length() > 200 ? line.substring(0, 200) + "..." : line);
    }

    private JsonNode json(Response response, String dc, String key) {
        try {
            return JSON.readTree(response.body == null || response.body.isEmpty() ? "null" : response.body);
        } catch (IOException e) {
            throw new ConsulException(where(dc, "reply", key) + ": answer is not JSON", response.status, null);
        }
    }

    private boolean bool(Response response, String dc, String key) {
        String body = response.body == null ? "" : response.body.trim();
        if (body.equals("true")) {
            return true;
        }
        if (body.equals("false")) {
            return false;
        }
        throw new ConsulException(where(dc, "write", key) + ": expected true or false, got" + firstLine(body), response.status, null);
    }

    private List<KvEntry> kvEntries(Response response, String dc, String key) {
        List<KvEntry> entries = new ArrayList<>();
        for (JsonNode node : json(response, dc, key)) {
            entries.add(KvEntry.fromBase64(node.path("Key").asText(), node.path("Value").isNull() ? null : node.path("Value").asText(),
                    node.path("CreateIndex").asLong(), node.path("ModifyIndex").asLong(),
                    node.hasNonNull("Session") ? node.path("Session").asText() : null));
        }
        return entries;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            map.put(field.getKey(), field.getValue().asText());
        }
        return map;
    }

    private static String encodePath(String key) {
        StringBuilder encoded = new StringBuilder();
        for (String segment : key.split("/", -1)) {
            if (encoded.length() > 0 || key.startsWith("/")) {
                encoded.append('/');
            }
            encoded.append(URLEncoder.encode(segment, StandardCharsets.UTF_8));
        }
        return encoded.toString();
    }

    /** Overwrites the token held by this client. */
    public void wipe() {
        if (token != null) {
            Arrays.fill(token, '\0');
        }
    }

    @Override
    public String toString() {
        return "ConsulClient[" + base + (token == null ? "" : ", token=****") + "]";
    }
}
