package io.infrasteps.sandbox.consul;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;

/** Plain java.net.http calls to a {@link SandboxConsul}, never through a proxy. */
final class Api {
    static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient client;
    private String token;

    Api(SandboxConsul consul) {
        this(consul, newClient());
    }

    Api(SandboxConsul consul, HttpClient client) {
        this.base = consul.uri();
        this.client = client;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).connectTimeout(Duration.ofSeconds(2)).build();
    }

    Api token(String token) {
        this.token = token;
        return this;
    }

    /** A response with its body and a few helpers. */
    record Reply(int status, String body, java.net.http.HttpHeaders headers) {
        long index() {
            return headers.firstValueAsLong("X-Consul-Index").orElse(-1);
        }

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        /** The decoded value of the first entry of a KV answer (null for a null value). */
        String value() {
            JsonNode v = json().get(0).get("Value");
            return v.isNull() ? null : new String(Base64.getDecoder().decode(v.asText()), StandardCharsets.UTF_8);
        }
    }

    HttpRequest request(String method, String pathAndQuery, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("X-Consul-Token", token);
        }
        return b.build();
    }

    Reply send(String method, String pathAndQuery, String body) {
        try {
            return toReply(client.send(request(method, pathAndQuery, body), HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends and lets an IOException through (for dropped connections). */
    Reply sendRaw(String method, String pathAndQuery, String body) throws IOException, InterruptedException {
        return toReply(client.send(request(method, pathAndQuery, body), HttpResponse.BodyHandlers.ofString()));
    }

    CompletableFuture<Reply> sendAsync(String method, String pathAndQuery) {
        return client.sendAsync(request(method, pathAndQuery, null), HttpResponse.BodyHandlers.ofString()).thenApply(Api::toReply);
    }

    Reply get(String pathAndQuery) {
        return send("GET", pathAndQuery, null);
    }

    Reply put(String pathAndQuery, String body) {
        return send("PUT", pathAndQuery, body);
    }

    Reply delete(String pathAndQuery) {
        return send("DELETE", pathAndQuery, null);
    }

    /** Creates a session and returns its id. */
    String session(String dc, String body) {
        Reply r = put("/v1/session/create" + (dc == null ? "" : "?dc=" + dc), body);
        if (r.status() != 200) {
            throw new AssertionError("session create: " + r.status() + " " + r.body());
        }
        return r.json().get("ID").asText();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Reply toReply(HttpResponse<String> r) {
        return new Reply(r.statusCode(), r.body(), r.headers());
    }
}
