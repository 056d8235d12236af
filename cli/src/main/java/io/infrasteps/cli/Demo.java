package io.infrasteps.cli;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.consul.RetryPolicy;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.FleetStatus;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyStatus;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.release.ReleaseGa;
import io.infrasteps.engine.shard.ShardHealthWaiter;
import io.infrasteps.engine.shard.ShardName;
import io.infrasteps.engine.shard.ShardStates;
import io.infrasteps.engine.shard.ShardValidator;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxShard;
import io.infrasteps.sandbox.ShardRegistrations;
import io.infrasteps.sandbox.consul.SandboxConsul;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code infra-steps demo}: the sandbox fleet (real HAProxy processes, fake shard sidecars, an
 * in-process Consul) driven by the same engine the Jenkins steps use. Everything it starts is
 * stopped on the way out, also on failure.
 */
final class Demo {
    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    int run() throws Exception {
        out.println("== starting the sandbox: 2 regions x 2 HAProxy processes, 2 shards per region, Consul with 2 datacenters");
        long start = System.nanoTime();
        try (SandboxFleet sandbox = SandboxFleet.builder().environment("demo").proxiesPerRegion(2).shardsPerRegion(2).start();
             SandboxConsul consulServer = SandboxConsul.start(sandbox.datacenters().toArray(String[]::new))) {
            ShardRegistrations registrations = ShardRegistrations.register(sandbox, consulServer);
            out.printf("   started in %d ms; work dir %s%n", (System.nanoTime() - start) / 1_000_000, sandbox.workDir());
            Site site = Site.parse(sandbox.siteYaml(SandboxFleet.Transport.UNIX, consulServer.uri()), "sandbox site");
            Cancellation cancellation = Cancellation.create();
            try (HaproxyConnector connector = new HaproxyConnector(site.commandTimeout(), null);
                 ConsulSite consul = new ConsulSite(site, null, RetryPolicy.defaults(), Duration.ofSeconds(5))) {
                HaproxyFleet fleet = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(site.parallelism(), false));
                List<ShardName> shards = new ArrayList<>();
                for (SandboxShard shard : sandbox.shards()) {
                    shards.add(ShardName.parse("shard", shard.name(), site));
                }
                ShardName shard = shards.get(0);

                out.println("\n== status of every server on every proxy");
                StatusTable.print(fleet.status(out::println, cancellation), out);

                try (EnvironmentLock lock = lock(consul, site, cancellation)) {
                    out.println("\n== drain " + shard + " (under " + lock.key() + "): Consul KV with CAS, then every proxy, verified");
                    FleetChange drain = new ShardStates(consul, fleet).apply(shard, ServerState.DRAIN, false, lock, out::println, cancellation)
                            .proxies();
                    out.println("   " + drain.summary());
                    printRows(fleet.status(line -> { }, cancellation), shard.toString());

                    out.println("\n== ready " + shard + " again");
                    out.println("   " + new ShardStates(consul, fleet).apply(shard, ServerState.READY, false, lock, out::println, cancellation)
                            .proxies().summary());
                    printRows(fleet.status(line -> { }, cancellation), shard.toString());
                }

                out.println("\n== " + shards.get(3) + "'s sidecar turns unhealthy; validate every shard");
                registrations.setHealthy(shards.get(3).toString(), false);
                new ShardValidator(consul, fleet, Duration.ofSeconds(2), 8).validate(shards, "demo", out::println, cancellation);

                out.println("\n== wait until every shard is healthy (blocking queries); the sidecar recovers in 300 ms");
                CompletableFuture.runAsync(() -> {
                    try {
                        Thread.sleep(300); // the demo's stand-in for a shard that needs a moment to recover
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    registrations.setHealthy(shards.get(3).toString(), true);
                });
                long waitStart = System.nanoTime();
                ShardHealthWaiter.Result healthy = new ShardHealthWaiter(consul)
                        .await(shards, Instant.now().plusSeconds(30), out::println, cancellation);
                out.printf("   %s after %d ms%n", healthy.allHealthy() ? "all healthy" : "NOT healthy:" + healthy.describe(),
                        (System.nanoTime() - waitStart) / 1_000_000);

                try (EnvironmentLock lock = lock(consul, site, cancellation)) {
                    out.println("\n== make release " + sandbox.release() + " GA: every shard healthy, KV in every datacenter, live map on every proxy");
                    ReleaseGa.Result ga = new ReleaseGa(consul, fleet).setLive(sandbox.release(), false, lock, out::println, cancellation);
                    out.println("   " + ga.proxies().summary());
                }
            }
            out.println("\n== stopping the sandbox");
        }
        out.println("demo finished");
        return 0;
    }

    private static EnvironmentLock lock(ConsulSite consul, Site site, Cancellation cancellation) {
        return EnvironmentLock.acquire(consul.client(site.localRegion()), site.regions().get(0).datacenter(), site.name(),
                "haproxy-state", "infra-steps demo", Duration.ofSeconds(15), Duration.ZERO, cancellation);
    }

    /** The rows of one server across the fleet, as a short table. */
    private void printRows(FleetStatus status, String server) {
        List<ProxyStatus> filtered = new ArrayList<>();
        for (ProxyStatus proxy : status.proxies()) {
            filtered.add(proxy.ok() ? ProxyStatus.ok(proxy.proxy(), proxy.servers().stream().filter(r -> r.server().equals(server)).toList())
                    : proxy);
        }
        StatusTable.print(new FleetStatus(filtered), out);
    }
}
