package io.infrasteps.cli;

import io.infrasteps.cli.haproxy.HaproxyCommand;
import io.infrasteps.cli.shard.ShardCommand;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.haproxy.FleetOperationException;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * {@code infra-steps}: the engine's operations from a terminal, and the sandbox demo.
 * Exit codes: 0 success, 1 operation failed, 2 bad input.
 */
public final class Main {
    static final String USAGE = String.join("\n",
            "usage: infra-steps <command> [options]",
            "",
            "commands:",
            "  demo                       start the sandbox fleet, show status, drain and ready a shard, stop",
            "  haproxy status             show every server of every proxy",
            "  haproxy set-state          set a shard's (or backend/server's) state: ready, drain or maint",
            "  haproxy set-weight         set a server's weight (0..256)",
            "  haproxy set-health         mark proxies up or down for the load balancer (up.map)",
            "  haproxy set-live           point the live map at a release",
            "  shard validate             check shards in Consul, their sidecars, HAProxy and KV state",
            "  shard wait                 wait (blocking queries) until shards or a release are healthy",
            "  shard set-state            ready/drain shards in Consul KV and on every proxy, under the lock",
            "  release ga                 make a release GA in every datacenter and on every proxy",
            "",
            "run 'infra-steps haproxy' for the haproxy options");

    private Main() {
    }

    public static void main(String[] argv) {
        // Before any JDK HTTP server starts (sandbox Consul, fake shards): answer without Nagle's ~40 ms delay.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    /** Runs one command; returns the exit code. */
    public static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("--help") || argv.get(0).equals("help")) {
            out.println(USAGE);
            return argv.isEmpty() ? 2 : 0;
        }
        try {
            switch (argv.get(0)) {
                case "demo":
                    return new Demo(out).run();
                case "haproxy":
                    return new HaproxyCommand(out).run(argv.subList(1, argv.size()));
                case "shard":
                case "release":
                    return new ShardCommand(out).run(argv.get(0), argv.subList(1, argv.size()));
                default:
                    err.println("unknown command; " + USAGE);
                    return 2;
            }
        } catch (InvalidInputException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (FleetOperationException e) {
            err.println("failed: " + e.getMessage());
            return 1;
        } catch (Exception e) {
            err.println("failed: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
            return 1;
        }
    }
}
