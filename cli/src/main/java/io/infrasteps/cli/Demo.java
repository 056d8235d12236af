package io.infrasteps.cli;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.haproxy.ServerTarget;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.SandboxFleet;

import java.io.PrintStream;
import java.util.List;

/**
 * {@code infra-steps demo}: the sandbox fleet (real HAProxy processes) driven by the same engine
 * the Jenkins steps use. Everything it starts is stopped on the way out, also on failure.
 */
final class Demo {
    private final PrintStream out;

    Demo(PrintStream out) {
        this.out = out;
    }

    int run() {
        out.println("== starting the sandbox fleet: 2 regions x 2 HAProxy processes, 2 shards per region");
        long start = System.nanoTime();
        try (SandboxFleet sandbox = SandboxFleet.builder().environment("demo").proxiesPerRegion(2).shardsPerRegion(2).start()) {
            out.printf("   started in %d ms; work dir %s%n", (System.nanoTime() - start) / 1_000_000, sandbox.workDir());
            Site site = Site.parse(sandbox.siteYaml(SandboxFleet.Transport.UNIX), "sandbox site");
            try (HaproxyConnector connector = new HaproxyConnector(site.commandTimeout(), null)) {
                HaproxyFleet fleet = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(site.parallelism(), false));
                String shard = sandbox.shards().get(0).name();

                out.println("\n== status");
                StatusTable.print(fleet.status(out::println, Cancellation.create()), out);

                out.println("\n== drain " + shard + " on every proxy (read back and verified)");
                FleetChange drain = fleet.setServerState(ServerTarget.shard(shard), ServerState.DRAIN, false, out::println, Cancellation.create());
                out.println("   " + drain.summary());
                StatusTable.print(fleet.status(line -> { }, Cancellation.create()), out);

                out.println("\n== ready " + shard + " again");
                FleetChange ready = fleet.setServerState(ServerTarget.shard(shard), ServerState.READY, false, out::println, Cancellation.create());
                out.println("   " + ready.summary());
                StatusTable.print(fleet.status(line -> { }, Cancellation.create()), out);
            }
            out.println("\n== stopping the sandbox fleet");
        }
        out.println("demo finished");
        return 0;
    }
}
