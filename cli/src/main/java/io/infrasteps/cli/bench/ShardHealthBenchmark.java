package io.infrasteps.cli.bench;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.RetryPolicy;
import io.infrasteps.engine.shard.ShardHealthWaiter;
import io.infrasteps.engine.shard.ShardName;
import io.infrasteps.engine.shard.ShardReport;
import io.infrasteps.engine.shard.ShardValidator;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.FakeShard;
import io.infrasteps.sandbox.consul.CheckSpec;
import io.infrasteps.sandbox.consul.SandboxConsul;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * (a) Validates 200 shards across 10 regions with 20 ms injected latency on every Consul call,
 * in parallel and one by one. (b) Measures the reaction time from the last shard turning
 * healthy to the health wait returning, and counts the requests an idle wait makes.
 *
 * <pre>java -cp cli/target/infra-steps-cli.jar io.infrasteps.cli.bench.ShardHealthBenchmark [idle-wait-seconds=120] [reaction-rounds=20]</pre>
 */
public final class ShardHealthBenchmark {
    private static final int REGIONS = 10;
    private static final int SHARDS_PER_REGION = 20;
    private static final String ENV = "bench";

    private ShardHealthBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        // Before any JDK HTTP server starts (sandbox Consul, fake shards): answer without Nagle's ~40 ms delay.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int idleSeconds = args.length > 0 ? Integer.parseInt(args[0]) : 120;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<String> regions = new ArrayList<>();
        for (int r = 1; r <= REGIONS; r++) {
            regions.add("region-" + r);
        }
        List<String> datacenters = regions.stream().map(r -> ENV + "-" + r).toList();
        List<FakeShard> sidecars = new ArrayList<>();
        try (SandboxConsul consul = SandboxConsul.start(datacenters.toArray(String[]::new))) {
            StringBuilder yaml = new StringBuilder("name: " + ENV + "\ndomain: bench.localhost\nregions:\n");
            List<ShardName> shards = new ArrayList<>();
            int number = 1;
            for (String region : regions) {
                yaml.append("  - name: ").append(region).append("\n    consul: ").append(consul.uri()).append('\n');
                FakeShard sidecar = FakeShard.start(region + "-sidecar"); // one sidecar answers for the region's shards
                sidecars.add(sidecar);
                for (int i = 0; i < SHARDS_PER_REGION; i++, number++) {
                    ShardName shard = new ShardName(ENV, region, number);
                    shards.add(shard);
                    String port = String.valueOf(sidecar.port());
                    consul.registerService(ENV + "-" + region, shard.toString(), "127.0.0.1", "signal-" + shard, "signal", sidecar.port(),
                            Map.of("environment", ENV, "shard", shard.toString(), "release_number", "1",
                                    "signal_sidecar_http_ip", "127.0.0.1", "signal_sidecar_http_port", port),
                            List.of(CheckSpec.passing("signal-health")));
                    consul.putKv(ENV + "-" + region, "shard-states/" + ENV + "/" + shard, "ready");
                }
            }
            Site site = Site.parse(yaml.toString(), "bench");

            System.out.printf("(a) validate %d shards in %d regions, %d ms injected latency per Consul call%n",
                    shards.size(), REGIONS, 20);
            consul.faults().latency(Duration.ofMillis(20));
            try (ConsulSite consulSite = new ConsulSite(site, null, RetryPolicy.defaults(), Duration.ofSeconds(10))) {
                validate(consulSite, shards, 32); // warm-up
                long parallel = validate(consulSite, shards, 32);
                long sequential = validate(consulSite, shards, 1);
                System.out.printf("    parallel (32 at once): %d ms%n    one by one:            %d ms%n    ratio: %.1fx%n",
                        parallel, sequential, (double) sequential / parallel);
            }
            consul.faults().clear();

            System.out.printf("(b) reaction time, last shard turning healthy -> wait returns (%d rounds, %d shards)%n", rounds, shards.size());
            try (ConsulSite consulSite = new ConsulSite(site, null, RetryPolicy.defaults(), Duration.ofSeconds(10))) {
                List<Long> reactions = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    ShardName last = shards.get(round * 7 % shards.size());
                    String dc = ENV + "-" + last.region();
                    consul.setCheck(dc, "signal-" + last, "signal-health", "critical", "down");
                    CompletableFuture<ShardHealthWaiter.Result> wait = CompletableFuture.supplyAsync(() -> new ShardHealthWaiter(consulSite)
                            .await(shards, Instant.now().plusSeconds(60), ProgressListener.NONE, Cancellation.create()));
                    consul.awaitBlockedQueries(REGIONS, Duration.ofSeconds(10));
                    long flipped = System.nanoTime();
                    consul.setCheck(dc, "signal-" + last, "signal-health", "passing", "ok");
                    if (!wait.get().allHealthy()) {
                        throw new IllegalStateException("wait did not end healthy");
                    }
                    reactions.add((System.nanoTime() - flipped) / 1_000);
                }
                reactions.sort(Long::compare);
                System.out.printf("    reaction p50 %.1f ms, p90 %.1f ms, max %.1f ms (today's polling: up to 60 000 ms)%n",
                        reactions.get(reactions.size() / 2) / 1000.0, reactions.get(reactions.size() * 9 / 10) / 1000.0,
                        reactions.get(reactions.size() - 1) / 1000.0);

                ShardName stuck = shards.get(0);
                consul.setCheck(ENV + "-" + stuck.region(), "signal-" + stuck, "signal-health", "critical", "down");
                long before = consul.requestCount("/v1/health/service/signal");
                long start = System.nanoTime();
                ShardHealthWaiter.Result result = new ShardHealthWaiter(consulSite)
                        .await(shards, Instant.now().plusSeconds(idleSeconds), ProgressListener.NONE, Cancellation.create());
                long requests = consul.requestCount("/v1/health/service/signal") - before;
                System.out.printf("    idle wait of %d s (one shard stays critical): %d health requests for %d regions, timed out after %.1f s"
                        + " naming %d shard(s); 60 s polling of %d shards one by one would make %d%n",
                        idleSeconds, requests, REGIONS, (System.nanoTime() - start) / 1e9, result.unhealthy().size(), shards.size(),
                        (idleSeconds / 60 + 1) * shards.size());
            }
        } finally {
            sidecars.forEach(FakeShard::close);
        }
    }

    private static long validate(ConsulSite consul, List<ShardName> shards, int parallelism) {
        long start = System.nanoTime();
        List<ShardReport> reports = new ShardValidator(consul, null, Duration.ofSeconds(5), parallelism)
                .validate(shards, "bench", ProgressListener.NONE, Cancellation.create());
        if (!reports.stream().allMatch(ShardReport::passed)) {
            throw new IllegalStateException("validation failed: " + reports.stream().filter(r -> !r.passed()).findFirst().orElseThrow().line());
        }
        return (System.nanoTime() - start) / 1_000_000;
    }
}
