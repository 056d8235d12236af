package io.infrasteps.engine.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.FanOut;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.KvEntry;
import io.infrasteps.engine.consul.KvWrites;
import io.infrasteps.engine.consul.ServiceInstance;
import io.infrasteps.engine.haproxy.FleetStatus;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyStatus;
import io.infrasteps.engine.haproxy.ServerRow;
import io.infrasteps.engine.site.Region;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates shards: the Consul registration and its checks, the sidecar's
 * {@code /signal/report}, that every HAProxy of the environment sees the shard's server UP, and
 * the KV state. Shards are checked in parallel; the proxies are read once for all of them. The
 * outcome of each shard is recorded as {@code shard-test/<env>/<shard>}.
 */
public final class ShardValidator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ConsulSite consul;
    private final HaproxyFleet haproxy;
    private final HttpClient http;
    private final Duration sidecarTimeout;
    private final int parallelism;

    /** @param haproxy the environment's proxies, or null to skip the HAProxy check */
    public ShardValidator(ConsulSite consul, HaproxyFleet haproxy, Duration sidecarTimeout, int parallelism) {
        this.consul = consul;
        this.haproxy = haproxy;
        this.sidecarTimeout = sidecarTimeout;
        this.parallelism = parallelism;
        this.http = HttpClient.newBuilder().connectTimeout(sidecarTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /**
     * @param buildNumber recorded in {@code shard-test/<env>/<shard>}, e.g. the Jenkins build number
     */
    public List<ShardReport> validate(List<ShardName> shards, String buildNumber, ProgressListener listener, Cancellation cancellation) {
        Inputs.require("buildNumber", buildNumber, Inputs.HAPROXY_NAME);
        FleetStatus proxies = haproxy == null ? null : haproxy.status(ProgressListener.NONE, cancellation);
        // One health read per region serves every shard of that region.
        List<String> regions = shards.stream().map(ShardName::region).distinct().toList();
        List<List<ServiceInstance>> health = FanOut.run(regions, parallelism, region -> ShardCatalog.health(consul,
                consul.site().findRegion(region).orElseThrow(), null, 0, null, cancellation).value(), (region, error) -> {
                    throw error instanceof RuntimeException ? (RuntimeException) error : new IllegalStateException(error);
                });
        Map<String, List<ServiceInstance>> healthByRegion = new HashMap<>();
        for (int i = 0; i < regions.size(); i++) {
            healthByRegion.put(regions.get(i), health.get(i));
        }
        List<ShardReport> reports = FanOut.run(shards, parallelism,
                shard -> validateOne(shard, healthByRegion.get(shard.region()), proxies, buildNumber, cancellation),
                (shard, error) -> {
                    if (error instanceof java.util.concurrent.CancellationException) {
                        throw (java.util.concurrent.CancellationException) error;
                    }
                    return new ShardReport(shard, List.of(new ShardReport.Check("validation", false, String.valueOf(error.getMessage()))));
                });
        cancellation.throwIfCancelled();
        reports.forEach(r -> listener.line(r.line()));
        return reports;
    }

    private ShardReport validateOne(ShardName shard, List<ServiceInstance> regionHealth, FleetStatus proxies, String buildNumber,
                                    Cancellation cancellation) {
        Region region = consul.site().findRegion(shard.region()).orElseThrow();
        String dc = region.datacenter();
        String env = consul.site().name();
        List<ShardReport.Check> checks = new ArrayList<>();

        ServiceInstance instance = null;
        for (ServiceInstance candidate : regionHealth) {
            if (shard.toString().equals(candidate.meta("shard"))) {
                instance = candidate;
            }
        }
        String consulReason = ShardHealthWaiter.reason(region, instance);
        checks.add(new ShardReport.Check("consul", consulReason == null, consulReason == null
                ? "registered in " + dc + ", " + instance.checks().size() + " checks passing" : consulReason));
        checks.add(sidecar(instance, cancellation));
        if (proxies != null) {
            checks.add(haproxyCheck(shard, proxies));
        }
        KvEntry state = consul.client(region).get(dc, "shard-states/" + env + "/" + shard, 0, null, cancellation).value();
        boolean stateOk = state != null && (state.value().equals("ready") || state.value().equals("drain"));
        checks.add(new ShardReport.Check("state", stateOk, state == null ? "no shard-states/" + env + "/" + shard + " in " + dc
                : stateOk ? "state " + state.value() : "state has an unknown value"));

        ShardReport report = new ShardReport(shard, checks);
        String record = JSON.createObjectNode().put("status", report.passed() ? "passed" : "failed")
                .put("build_number", buildNumber).put("ts", Instant.now().getEpochSecond()).toString();
        KvWrites.casPut(consul.client(region), dc, "shard-test/" + env + "/" + shard, record, cancellation);
        return report;
    }

    private ShardReport.Check sidecar(ServiceInstance instance, Cancellation cancellation) {
        if (instance == null) {
            return new ShardReport.Check("sidecar", false, "no registration to find the sidecar from");
        }
        String ip = instance.meta("signal_sidecar_http_ip");
        String port = instance.meta("signal_sidecar_http_port");
        // Remote data: only a plain host and a port number become a URL.
        if (ip == null || !Inputs.HOST.matches(ip) || port == null || !port.matches("[0-9]{1,5}")
                || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            return new ShardReport.Check("sidecar", false, "service meta has no valid signal_sidecar_http_ip/port");
        }
        URI uri = URI.create("http://" + ip + ":" + port + "/signal/report");
        try {
            cancellation.throwIfCancelled();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(sidecarTimeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return new ShardReport.Check("sidecar", false, "GET " + uri + " answered HTTP " + response.statusCode());
            }
            JsonNode healthy = JSON.readTree(response.body()).path("healthy");
            return healthy.isBoolean() && healthy.booleanValue()
                    ? new ShardReport.Check("sidecar", true, "report healthy")
                    : new ShardReport.Check("sidecar", false, "GET " + uri + ": healthy is " + (healthy.isMissingNode() ? "missing" : healthy.toString()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.util.concurrent.CancellationException("interrupted");
        } catch (Exception e) {
            return new ShardReport.Check("sidecar", false, "GET " + uri + " failed: " + e.getClass().getSimpleName());
        }
    }

    private static ShardReport.Check haproxyCheck(ShardName shard, FleetStatus proxies) {
        List<String> problems = new ArrayList<>();
        for (ProxyStatus proxy : proxies.proxies()) {
            if (!proxy.ok()) {
                problems.add(proxy.proxy().label() + " unreachable");
                continue;
            }
            List<ServerRow> rows = proxy.servers().stream().filter(r -> r.server().equals(shard.toString())).toList();
            if (rows.isEmpty()) {
                problems.add(proxy.proxy().label() + " has no server " + shard);
            }
            for (ServerRow row : rows) {
                if (row.operationalState() != 2) {
                    problems.add(proxy.proxy().label() + " sees " + row.backend() + "/" + row.server() + " " + row.status());
                }
            }
        }
        return problems.isEmpty()
                ? new ShardReport.Check("haproxy", true, "UP on " + proxies.proxies().size() + " proxies")
                : new ShardReport.Check("haproxy", false, String.join("; ", problems));
    }
}
