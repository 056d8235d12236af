package io.infrasteps.cli.bench;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.RuntimeApiAddress;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.haproxy.ServerTarget;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxProxy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Drains and readies one shard on 20 real HAProxy processes, in parallel and proxy by proxy,
 * and prints wall times, their ratio and per-command latency percentiles.
 *
 * <p>Two settings: the proxies' unix sockets directly (every command is local and CPU-bound on
 * this machine), and through a relay adding a one-way latency per message to model proxies in
 * other regions, which is where real fleets spend their time.
 *
 * <pre>java -cp cli/target/infra-steps-cli.jar io.infrasteps.cli.bench.HaproxyBenchmark [rounds] [proxies] [one-way latency ms]</pre>
 */
public final class HaproxyBenchmark {
    private HaproxyBenchmark() {
    }

    public static void main(String[] args) {
        // Before any JDK HTTP server starts (sandbox Consul, fake shards): answer without Nagle's ~40 ms delay.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int proxies = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        long latencyMillis = args.length > 2 ? Long.parseLong(args[2]) : 10;
        int regions = 4;
        try (SandboxFleet sandbox = SandboxFleet.builder().environment("bench")
                .regions("us-ashburn-1", "us-phoenix-1", "eu-frankfurt-1", "uk-london-1")
                .proxiesPerRegion(Math.max(1, proxies / regions)).shardsPerRegion(2).start()) {
            Site site = Site.parse(sandbox.siteYaml(SandboxFleet.Transport.UNIX), "bench");
            String shard = sandbox.shards().get(0).name();
            System.out.printf("fleet: %d HAProxy processes, %d servers each; shard %s; %d rounds of drain+ready%n",
                    sandbox.proxies().size(), sandbox.shards().size() * 2, shard, rounds);

            System.out.println("\n-- local unix sockets (no network latency; 2 cores shared with 20 HAProxy processes)");
            compare(site.proxies(List.of()), shard, rounds);

            System.out.printf("%n-- TCP through a relay adding %d ms each way (proxies in other regions)%n", latencyMillis);
            List<LatencyRelay> relays = new ArrayList<>();
            try {
                List<ProxyEndpoint> remote = new ArrayList<>();
                for (SandboxProxy proxy : sandbox.proxies()) {
                    LatencyRelay relay = new LatencyRelay(proxy.adminPort(), latencyMillis);
                    relays.add(relay);
                    remote.add(new ProxyEndpoint(proxy.name(), proxy.region(),
                            RuntimeApiAddress.parse("relay", "tcp://127.0.0.1:" + relay.port()), null, null));
                }
                compare(remote, shard, Math.max(3, rounds / 4));
            } finally {
                for (LatencyRelay relay : relays) {
                    relay.close();
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void compare(List<ProxyEndpoint> proxies, String shard, int rounds) {
        Result parallel = measure(proxies, shard, rounds, proxies.size());
        Result sequential = measure(proxies, shard, rounds, 1);
        System.out.printf("parallel (%d at once):  median %.1f ms per drain+ready, p90 %.1f ms%n",
                proxies.size(), parallel.medianMillis(), parallel.percentileMillis(90));
        System.out.printf("proxy by proxy:         median %.1f ms per drain+ready, p90 %.1f ms%n",
                sequential.medianMillis(), sequential.percentileMillis(90));
        System.out.printf("ratio proxy-by-proxy / parallel (medians): %.2fx%n", sequential.medianMillis() / parallel.medianMillis());
        System.out.printf("runtime API command latency, proxy by proxy: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms (%d commands)%n",
                pct(sequential.commandNanos, 50), pct(sequential.commandNanos, 90), pct(sequential.commandNanos, 99),
                pct(sequential.commandNanos, 100), sequential.commandNanos.size());
        System.out.printf("runtime API command latency, parallel:       p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms (%d commands)%n",
                pct(parallel.commandNanos, 50), pct(parallel.commandNanos, 90), pct(parallel.commandNanos, 99),
                pct(parallel.commandNanos, 100), parallel.commandNanos.size());
    }

    private static Result measure(List<ProxyEndpoint> proxies, String shard, int rounds, int parallelism) {
        Result result = new Result();
        try (HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(10), null)) {
            HaproxyFleet fleet = new HaproxyFleet(proxies, connector, new FleetOptions(parallelism, false));
            // Warm-up: JIT, thread start, first connections.
            for (int i = 0; i < 3; i++) {
                drainAndReady(fleet, shard);
            }
            connector.setCommandTimer((proxy, command, nanos) -> result.commandNanos.add(nanos));
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                drainAndReady(fleet, shard);
                result.roundNanos.add(System.nanoTime() - start);
            }
        }
        return result;
    }

    private static void drainAndReady(HaproxyFleet fleet, String shard) {
        fleet.setServerState(ServerTarget.shard(shard), ServerState.DRAIN, false, ProgressListener.NONE, Cancellation.create());
        fleet.setServerState(ServerTarget.shard(shard), ServerState.READY, false, ProgressListener.NONE, Cancellation.create());
    }

    private static double pct(List<Long> nanos, int percentile) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index))) / 1e6;
    }

    private static final class Result {
        final List<Long> roundNanos = new ArrayList<>();
        final List<Long> commandNanos = Collections.synchronizedList(new ArrayList<>());

        double medianMillis() {
            return pct(roundNanos, 50);
        }

        double percentileMillis(int percentile) {
            return pct(roundNanos, percentile);
        }
    }
}
