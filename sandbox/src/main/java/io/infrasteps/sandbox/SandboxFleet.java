package io.infrasteps.sandbox;

import io.infrasteps.sandbox.process.ReadinessException;
import io.infrasteps.sandbox.process.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A local fleet of one environment: fake shards and real HAProxy processes per region, all on
 * 127.0.0.1, in a private temporary directory removed on {@link #close()}. The engine never
 * sees this class: it loads the fleet through {@link #siteYaml(Transport)} like any other site.
 *
 * <pre>{@code
 * try (SandboxFleet fleet = SandboxFleet.builder().shardsPerRegion(2).start()) {
 *     String yaml = fleet.siteYaml(SandboxFleet.Transport.UNIX); // what the engine's site loader reads
 *     fleet.shard("sandbox-us-ashburn-1-s1").server().setHealthy(false);
 * }
 * }</pre>
 */
public final class SandboxFleet implements AutoCloseable {
    /** Credential id the SSH variant of the site YAML refers to. */
    public static final String SSH_CREDENTIAL_ID = "sandbox-ssh-key";

    /** How the engine reaches each proxy's runtime API in the generated site YAML. */
    public enum Transport { TCP, UNIX }

    private final String environment;
    private final List<String> regions;
    private final int release;
    private final TempDir dir;
    private final List<SandboxShard> shards;
    private final List<SandboxProxy> proxies;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SandboxFleet(Builder builder, TempDir dir, List<SandboxShard> shards, List<SandboxProxy> proxies) {
        this.environment = builder.environment;
        this.regions = List.copyOf(builder.regions);
        this.release = builder.release;
        this.dir = dir;
        this.shards = List.copyOf(shards);
        this.proxies = List.copyOf(proxies);
    }

    public static Builder builder() {
        return new Builder();
    }

    public String environment() {
        return environment;
    }

    public String domain() {
        return environment + ".localhost";
    }

    public List<String> regions() {
        return regions;
    }

    /** The first region: the one the site names as {@code localRegion}. */
    public String localRegion() {
        return regions.get(0);
    }

    /** The release every proxy's live.map points at when the fleet starts. */
    public int release() {
        return release;
    }

    public Path workDir() {
        return dir.path();
    }

    public List<SandboxProxy> proxies() {
        return proxies;
    }

    public List<SandboxProxy> proxies(String region) {
        return proxies.stream().filter(p -> p.region().equals(region)).toList();
    }

    public SandboxProxy proxy(String name) {
        return proxies.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no proxy named '" + name + "' in the sandbox fleet"));
    }

    public List<SandboxShard> shards() {
        return shards;
    }

    public List<SandboxShard> shards(String region) {
        return shards.stream().filter(s -> s.region().equals(region)).toList();
    }

    public SandboxShard shard(String name) {
        return shards.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no shard named '" + name + "' in the sandbox fleet"));
    }

    /** Site YAML addressing every proxy's runtime API directly over TCP or its unix socket. */
    public String siteYaml(Transport transport) {
        Objects.requireNonNull(transport, "transport");
        return SiteYaml.render(this, transport == Transport.TCP ? SandboxProxy::tcpAddress : SandboxProxy::unixAddress, null, null);
    }

    /**
     * Site YAML addressing every proxy directly, with every region's Consul at {@code consul}
     * (the sandbox Consul serves all datacenters {@code <environment>-<region>}).
     */
    public String siteYaml(Transport transport, java.net.URI consul) {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(consul, "consul");
        return SiteYaml.render(this, transport == Transport.TCP ? SandboxProxy::tcpAddress : SandboxProxy::unixAddress, null, null,
                consul.toString());
    }

    /** The Consul datacenters of this fleet, {@code <environment>-<region>}, local region first. */
    public List<String> datacenters() {
        List<String> datacenters = new java.util.ArrayList<>();
        regions().forEach(r -> datacenters.add(environment() + "-" + r));
        return datacenters;
    }

    /**
     * Site YAML addressing every proxy as {@code ssh://<user>@127.0.0.1:<sshPort><unix socket>},
     * with {@code knownHosts} as {@code haproxy.knownHosts} and {@link #SSH_CREDENTIAL_ID} as the key.
     */
    public String siteYaml(String sshUser, int sshPort, String knownHosts) {
        if (sshUser == null || !sshUser.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw new IllegalArgumentException("sshUser must be a user name like 'root', got '" + sshUser + "'");
        }
        if (sshPort < 1 || sshPort > 65535) {
            throw new IllegalArgumentException("sshPort must be 1..65535, got " + sshPort);
        }
        if (knownHosts == null || knownHosts.isBlank()) {
            throw new IllegalArgumentException("knownHosts must hold at least one known_hosts line");
        }
        return SiteYaml.render(this, p -> p.sshAddress(sshUser, sshPort), SSH_CREDENTIAL_ID, knownHosts);
    }

    /** Site YAML reaching every proxy through {@code sshd}, trusting its host key. */
    public String siteYaml(LocalSshd sshd) {
        return siteYaml(sshd.user(), sshd.port(), sshd.knownHostsLine());
    }

    /** Stops every proxy (all at once) and shard and deletes the working directory. Idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            stopAll(proxies, shards, dir);
        }
    }

    private static void stopAll(List<SandboxProxy> proxies, List<SandboxShard> shards, TempDir dir) {
        proxies.forEach(SandboxProxy::requestStop);
        proxies.forEach(SandboxProxy::stop);
        shards.forEach(shard -> shard.server().close());
        dir.close();
    }

    /** Fleet settings; every default gives the two-region fleet the tests and the demo use. */
    public static final class Builder {
        private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
        private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
        /** Proxies mostly wait on their readiness polls, so many can start at once on few CPUs. */
        private static final int MAX_PARALLEL_STARTS = 32;

        private String environment = "sandbox";
        private List<String> regions = List.of("us-ashburn-1", "eu-frankfurt-1");
        private int proxiesPerRegion = 1;
        private int shardsPerRegion = 2;
        private int release = 1;
        private Duration readinessTimeout = Duration.ofSeconds(15);

        private Builder() {
        }

        public Builder environment(String environment) {
            if (environment == null || !ENVIRONMENT.matcher(environment).matches()) {
                throw new IllegalArgumentException("environment must match " + ENVIRONMENT.pattern() + ", got '" + environment + "'");
            }
            this.environment = environment;
            return this;
        }

        public Builder regions(String... regions) {
            return regions(List.of(regions));
        }

        public Builder regions(List<String> regions) {
            if (regions.isEmpty()) {
                throw new IllegalArgumentException("regions must name at least one region");
            }
            for (String region : regions) {
                if (!REGION.matcher(region).matches()) {
                    throw new IllegalArgumentException("regions: each must match " + REGION.pattern() + ", got '" + region + "'");
                }
            }
            if (new HashSet<>(regions).size() != regions.size()) {
                throw new IllegalArgumentException("regions must be distinct, got " + regions);
            }
            this.regions = List.copyOf(regions);
            return this;
        }

        public Builder proxiesPerRegion(int proxiesPerRegion) {
            this.proxiesPerRegion = requireRange("proxiesPerRegion", proxiesPerRegion, 1, 64);
            return this;
        }

        public Builder shardsPerRegion(int shardsPerRegion) {
            this.shardsPerRegion = requireRange("shardsPerRegion", shardsPerRegion, 1, 64);
            return this;
        }

        public Builder release(int release) {
            this.release = requireRange("release", release, 1, Integer.MAX_VALUE);
            return this;
        }

        /** How long each proxy may take until all its servers are UP (default 15 s). */
        public Builder readinessTimeout(Duration readinessTimeout) {
            if (readinessTimeout == null || readinessTimeout.isNegative() || readinessTimeout.isZero()) {
                throw new IllegalArgumentException("readinessTimeout must be positive, got " + readinessTimeout);
            }
            this.readinessTimeout = readinessTimeout;
            return this;
        }

        /**
         * Starts the shards, then every proxy in parallel, and returns once every proxy answers
         * on its runtime API with all servers UP. On failure everything started is stopped and a
         * {@link ReadinessException} carries the failing proxy's log tail.
         */
        public SandboxFleet start() {
            Path haproxy = HaproxyBinary.require();
            TempDir dir = TempDir.create("sandbox-fleet-");
            List<SandboxShard> shards = new ArrayList<>();
            List<SandboxProxy> proxies = new ArrayList<>();
            try {
                startShards(shards);
                startProxies(haproxy, dir.path(), shards, proxies);
                return new SandboxFleet(this, dir, shards, proxies);
            } catch (RuntimeException e) {
                stopAll(proxies, shards, dir);
                throw e;
            }
        }

        private void startShards(List<SandboxShard> shards) {
            // Numbers are unique across the environment, as the release tooling allocates them.
            int number = 1;
            for (String region : regions) {
                for (int i = 0; i < shardsPerRegion; i++, number++) {
                    String name = environment + "-" + region + "-s" + number;
                    shards.add(new SandboxShard(name, region, number, FakeShard.start(name)));
                }
            }
        }

        private void startProxies(Path haproxy, Path dir, List<SandboxShard> shards, List<SandboxProxy> started) {
            int count = regions.size() * proxiesPerRegion;
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(count, MAX_PARALLEL_STARTS), runnable -> {
                Thread thread = new Thread(runnable, "sandbox-fleet-start");
                thread.setDaemon(true);
                return thread;
            });
            try {
                List<Future<SandboxProxy>> launches = new ArrayList<>();
                for (String region : regions) {
                    for (int i = 1; i <= proxiesPerRegion; i++) {
                        String name = "haproxy-" + region + "-" + i;
                        launches.add(pool.submit(() -> SandboxProxy.launch(name, region, dir.resolve(name), release,
                                shards, haproxy, readinessTimeout)));
                    }
                }
                collect(launches, started);
            } finally {
                pool.shutdownNow();
            }
        }

        /** Waits for every launch so that the ones that did start can be stopped if another failed. */
        private static void collect(List<Future<SandboxProxy>> launches, List<SandboxProxy> started) {
            List<Throwable> failures = new ArrayList<>();
            for (Future<SandboxProxy> launch : launches) {
                try {
                    started.add(launch.get());
                } catch (ExecutionException e) {
                    failures.add(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(e);
                }
            }
            if (!failures.isEmpty()) {
                Throwable first = failures.get(0);
                ReadinessException error = new ReadinessException("sandbox fleet did not start: " + failures.size() + " of "
                        + launches.size() + " proxies failed; first: " + first.getMessage(), first);
                failures.subList(1, failures.size()).forEach(error::addSuppressed);
                throw error;
            }
        }

        private static int requireRange(String field, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(field + " must be " + min + ".." + max + ", got " + value);
            }
            return value;
        }
    }
}
