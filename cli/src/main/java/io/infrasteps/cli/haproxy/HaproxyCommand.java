package io.infrasteps.cli.haproxy;

import io.infrasteps.cli.StatusTable;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.FleetStatus;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.haproxy.ServerTarget;
import io.infrasteps.engine.haproxy.SshOptions;
import io.infrasteps.engine.site.Site;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code infra-steps haproxy <status|set-state|set-weight|set-health|set-live> [options]}. */
public final class HaproxyCommand {
    static final String USAGE = String.join("\n",
            "usage: infra-steps haproxy <status|set-state|set-weight|set-health|set-live> [options]",
            "target proxies (one of):",
            "  --site <file.yaml> [--region <r>]...    the proxies of a site (all regions by default)",
            "  --proxy <address>...                    tcp://host:port, unix:///path or ssh://user@host[:port]/path",
            "server (set-state, set-weight):  --shard <name> | --backend <b> --server <s>",
            "  set-state   --state ready|drain|maint [--force]",
            "  set-weight  --weight 0..256",
            "  set-health  --health up|down [--up-map /path]",
            "  set-live    --release <N> [--live-map /path]",
            "ssh:   --ssh-key <private key file> [--ssh-user <user>] [--known-hosts <file>] (passphrase from env INFRA_STEPS_SSH_PASSPHRASE)",
            "other: --tolerate-failures  --parallelism <1..64>  --timeout-seconds <1..600>");

    private static final Set<String> VALUED = Set.of("site", "region", "proxy", "shard", "backend", "server", "state", "weight",
            "health", "release", "up-map", "live-map", "ssh-key", "ssh-user", "known-hosts", "parallelism", "timeout-seconds");
    private static final Set<String> FLAGS = Set.of("force", "tolerate-failures");

    private final PrintStream out;

    public HaproxyCommand(PrintStream out) {
        this.out = out;
    }

    public int run(List<String> argv) {
        if (argv.isEmpty()) {
            out.println(USAGE);
            return 2;
        }
        String action = argv.get(0);
        io.infrasteps.cli.CliArgs args = new io.infrasteps.cli.CliArgs(argv.subList(1, argv.size()), VALUED, FLAGS);
        // Everything is validated before the first connection is opened.
        Target target = target(args);
        Runnable[] work = new Runnable[1];
        try (HaproxyConnector connector = new HaproxyConnector(target.timeout, target.ssh)) {
            HaproxyFleet fleet = new HaproxyFleet(target.proxies, connector,
                    new FleetOptions(target.parallelism, args.flag("tolerate-failures")));
            Cancellation cancellation = Cancellation.create();
            Runtime.getRuntime().addShutdownHook(new Thread(cancellation::cancel));
            switch (action) {
                case "status": {
                    FleetStatus status = fleet.status(line -> { }, cancellation);
                    StatusTable.print(status, out);
                    return status.allOk() || args.flag("tolerate-failures") ? 0 : 1;
                }
                case "set-state": {
                    ServerTarget server = server(args);
                    ServerState state = ServerState.parse("--state", args.required("state", ServerState.ALLOWED));
                    return report(fleet.setServerState(server, state, args.flag("force"), out::println, cancellation));
                }
                case "set-weight": {
                    ServerTarget server = server(args);
                    int weight = args.intValue("weight", -1, 0, 256);
                    if (weight < 0) {
                        throw new InvalidInputException("--weight", "is required", "an integer from 0 to 256");
                    }
                    return report(fleet.setWeight(server, weight, out::println, cancellation));
                }
                case "set-health": {
                    String health = args.required("health", "up or down");
                    if (!health.equals("up") && !health.equals("down")) {
                        throw new InvalidInputException("--health", "is not up or down", "up or down");
                    }
                    return report(fleet.setHealth(health.equals("up"), out::println, cancellation));
                }
                case "set-live": {
                    int release = args.intValue("release", -1, 1, Integer.MAX_VALUE - 1);
                    if (release < 0) {
                        throw new InvalidInputException("--release", "is required", "a release number (1 or more)");
                    }
                    return report(fleet.setLiveRelease(release, out::println, cancellation));
                }
                default:
                    throw new InvalidInputException("action", "is not a haproxy action", "status, set-state, set-weight, set-health, set-live");
            }
        }
    }

    /** Failed proxies only reach here with --tolerate-failures (otherwise the fleet throws): reported, exit 0. */
    private int report(FleetChange change) {
        out.println(change.summary());
        return 0;
    }

    private static ServerTarget server(io.infrasteps.cli.CliArgs args) {
        String shard = args.value("shard");
        String backend = args.value("backend");
        String server = args.value("server");
        if (shard != null && (backend != null || server != null)) {
            throw new InvalidInputException("--shard", "cannot be combined with --backend/--server", "--shard <name> or --backend <b> --server <s>");
        }
        if (shard != null) {
            return ServerTarget.shard(shard);
        }
        if (backend == null || server == null) {
            throw new InvalidInputException("--shard", "is required (or --backend and --server)", "--shard <name> or --backend <b> --server <s>");
        }
        return ServerTarget.of(backend, server);
    }

    /** The proxies, SSH options and limits from the options; reads files but opens no connection. */
    private static Target target(io.infrasteps.cli.CliArgs args) {
        Target target = new Target();
        String siteFile = args.value("site");
        List<String> proxyUris = args.values("proxy");
        String knownHosts = null;
        if ((siteFile == null) == proxyUris.isEmpty()) {
            throw new InvalidInputException("--site", "exactly one of --site or --proxy is required", "--site <file.yaml> or --proxy <address>...");
        }
        target.parallelism = 8;
        int timeoutSeconds = 10;
        if (siteFile != null) {
            Site site = Site.parse(args.file("site"), siteFile);
            target.proxies = site.proxies(args.values("region"));
            target.parallelism = site.parallelism();
            timeoutSeconds = (int) site.commandTimeout().getSeconds();
            knownHosts = site.knownHosts();
        } else {
            if (!args.values("region").isEmpty()) {
                throw new InvalidInputException("--region", "only applies with --site", "--site <file> --region <r>");
            }
            target.proxies = new ArrayList<>();
            for (int i = 0; i < proxyUris.size(); i++) {
                target.proxies.add(ProxyEndpoint.explicit("--proxy[" + i + "]", proxyUris.get(i)));
            }
        }
        String liveMap = args.value("live-map");
        String upMap = args.value("up-map");
        if (liveMap != null || upMap != null) {
            target.proxies.replaceAll(p -> p.withMaps(liveMap, upMap));
        }
        target.parallelism = args.intValue("parallelism", target.parallelism, 1, 64);
        target.timeout = Duration.ofSeconds(args.intValue("timeout-seconds", timeoutSeconds, 1, 600));
        if (args.value("known-hosts") != null) {
            knownHosts = args.file("known-hosts");
        }
        String keyFile = args.value("ssh-key");
        if (keyFile != null) {
            String passphrase = System.getenv("INFRA_STEPS_SSH_PASSPHRASE");
            target.ssh = new SshOptions(args.value("ssh-user"), args.file("ssh-key").toCharArray(),
                    passphrase == null ? null : passphrase.toCharArray(), knownHosts);
        }
        return target;
    }

    private static final class Target {
        List<ProxyEndpoint> proxies;
        SshOptions ssh;
        int parallelism;
        Duration timeout;
    }
}
