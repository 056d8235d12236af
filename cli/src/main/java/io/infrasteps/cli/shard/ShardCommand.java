package io.infrasteps.cli.shard;

import io.infrasteps.cli.CliArgs;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.consul.RetryPolicy;
import io.infrasteps.engine.haproxy.FleetOptions;
import io.infrasteps.engine.haproxy.HaproxyConnector;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.release.ReleaseGa;
import io.infrasteps.engine.shard.ShardCatalog;
import io.infrasteps.engine.shard.ShardHealthWaiter;
import io.infrasteps.engine.shard.ShardName;
import io.infrasteps.engine.shard.ShardRecord;
import io.infrasteps.engine.shard.ShardReport;
import io.infrasteps.engine.shard.ShardStates;
import io.infrasteps.engine.shard.ShardValidator;
import io.infrasteps.engine.site.Site;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code infra-steps shard <validate|wait|set-state>} and {@code infra-steps release ga}: shard
 * health and state through Consul. The Consul ACL token comes from {@code CONSUL_HTTP_TOKEN}
 * (as for the consul CLI), never from an argument.
 */
public final class ShardCommand {
    static final String USAGE = String.join("\n",
            "usage: infra-steps shard <validate|wait|set-state> --site <file.yaml> [options]",
            "       infra-steps release ga --site <file.yaml> --release <N> [--force]",
            "  validate   --shard <name>... [--build-number <id>]",
            "  wait       --shard <name>... | --release <N>   [--timeout-seconds <1..86400>]",
            "  set-state  --shard <name> --state ready|drain [--force]   (under the environment lock)",
            "Consul ACL token: environment variable CONSUL_HTTP_TOKEN.");

    private static final Set<String> VALUED = Set.of("site", "shard", "release", "build-number", "timeout-seconds", "state", "wait-lock-seconds");
    private static final Set<String> FLAGS = Set.of("force");

    private final PrintStream out;

    public ShardCommand(PrintStream out) {
        this.out = out;
    }

    public int run(String group, List<String> argv) {
        if (argv.isEmpty()) {
            out.println(USAGE);
            return 2;
        }
        String action = group + " " + argv.get(0);
        CliArgs args = new CliArgs(argv.subList(1, argv.size()), VALUED, FLAGS);
        String siteFile = args.required("site", "a site YAML file");
        Site site = Site.parse(args.file("site"), siteFile);
        String token = System.getenv("CONSUL_HTTP_TOKEN");
        Cancellation cancellation = Cancellation.create();
        try (ConsulSite consul = new ConsulSite(site, token == null ? null : token.toCharArray(), RetryPolicy.defaults(),
                Duration.ofSeconds(10))) {
            switch (action) {
                case "shard validate": {
                    List<ShardName> shards = shards(args, site);
                    String build = args.value("build-number") == null ? "cli" : args.value("build-number");
                    try (HaproxyConnector connector = new HaproxyConnector(site.commandTimeout(), null)) {
                        HaproxyFleet fleet = site.proxies(List.of()).isEmpty() ? null
                                : new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(site.parallelism(), true));
                        List<ShardReport> reports = new ShardValidator(consul, fleet, Duration.ofSeconds(5), 16)
                                .validate(shards, build, out::println, cancellation);
                        return reports.stream().allMatch(ShardReport::passed) ? 0 : 1;
                    }
                }
                case "shard wait": {
                    List<ShardName> shards = args.value("release") != null ? releaseShards(consul, args, cancellation) : shards(args, site);
                    int timeout = args.intValue("timeout-seconds", 1200, 1, 86_400);
                    ShardHealthWaiter.Result result = new ShardHealthWaiter(consul)
                            .await(shards, Instant.now().plusSeconds(timeout), out::println, cancellation);
                    if (result.allHealthy()) {
                        out.println(shards.size() + " shards healthy");
                        return 0;
                    }
                    out.println("timed out after " + timeout + " s; not healthy:" + result.describe());
                    return 1;
                }
                case "shard set-state": {
                    List<ShardName> shards = shards(args, site);
                    ServerState state = ServerState.parse("--state", args.required("state", "ready or drain"));
                    if (state == ServerState.MAINT) {
                        throw new InvalidInputException("--state", "maint is not a shard state kept in Consul", "ready or drain");
                    }
                    try (HaproxyConnector connector = new HaproxyConnector(site.commandTimeout(), null);
                         EnvironmentLock lock = lock(consul, site, args, cancellation)) {
                        ShardStates states = new ShardStates(consul, new HaproxyFleet(site.proxies(List.of()), connector,
                                new FleetOptions(site.parallelism(), false)));
                        for (ShardName shard : shards) {
                            out.println(states.apply(shard, state, args.flag("force"), lock, out::println, cancellation).proxies().summary());
                        }
                        return 0;
                    }
                }
                case "release ga": {
                    int release = args.intValue("release", -1, 1, Integer.MAX_VALUE - 1);
                    if (release < 0) {
                        throw new InvalidInputException("--release", "is required", "a release number (1 or more)");
                    }
                    try (HaproxyConnector connector = new HaproxyConnector(site.commandTimeout(), null);
                         EnvironmentLock lock = lock(consul, site, args, cancellation)) {
                        ReleaseGa.Result result = new ReleaseGa(consul, new HaproxyFleet(site.proxies(List.of()), connector,
                                new FleetOptions(site.parallelism(), false))).setLive(release, args.flag("force"), lock, out::println, cancellation);
                        out.println(result.proxies().summary());
                        return 0;
                    }
                }
                default:
                    throw new InvalidInputException("command", "is not known", "shard validate, shard wait, shard set-state, release ga");
            }
        }
    }

    private static EnvironmentLock lock(ConsulSite consul, Site site, CliArgs args, Cancellation cancellation) {
        String holder;
        try {
            holder = "cli " + System.getProperty("user.name") + "@" + InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            holder = "cli " + System.getProperty("user.name");
        }
        var region = site.findRegion(site.localRegion()).orElseThrow();
        return EnvironmentLock.acquire(consul.client(region), region.datacenter(), site.name(), "haproxy-state", holder,
                Duration.ofSeconds(30), Duration.ofSeconds(args.intValue("wait-lock-seconds", 0, 0, 3600)), cancellation);
    }

    private static List<ShardName> shards(CliArgs args, Site site) {
        List<String> names = args.values("shard");
        if (names.isEmpty()) {
            throw new InvalidInputException("--shard", "is required", "one or more --shard <" + site.shardBase() + "-<region>-s<N>>");
        }
        List<ShardName> shards = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            shards.add(ShardName.parse("--shard[" + i + "]", names.get(i), site));
        }
        return shards;
    }

    private static List<ShardName> releaseShards(ConsulSite consul, CliArgs args, Cancellation cancellation) {
        int release = args.intValue("release", -1, 1, Integer.MAX_VALUE - 1);
        List<ShardName> shards = new ArrayList<>();
        for (ShardRecord record : ShardCatalog.list(consul, List.of(), release, cancellation)) {
            shards.add(record.name());
        }
        if (shards.isEmpty()) {
            throw new InvalidInputException("--release", "has no shards registered in Consul", "a release with shards");
        }
        return shards;
    }

}
