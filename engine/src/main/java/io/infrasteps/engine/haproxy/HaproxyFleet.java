package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.FanOut;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.haproxy.ProxyOutcome.Result;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * Reads and changes a set of HAProxy instances through their runtime APIs, in parallel.
 *
 * <p>Every change follows the same shape: read the current state of every proxy, check what
 * must hold before anything is touched (targets exist, the last-ready guard), change only what
 * differs, then read back and verify. One unreachable or failing proxy never hides the others:
 * the result has an outcome per proxy, and the operation throws {@link FleetOperationException}
 * unless {@link FleetOptions#tolerateFailures()}.
 */
public final class HaproxyFleet {
    private final List<ProxyEndpoint> proxies;
    private final HaproxyConnector connector;
    private final FleetOptions options;

    public HaproxyFleet(List<ProxyEndpoint> proxies, HaproxyConnector connector, FleetOptions options) {
        if (proxies.isEmpty()) {
            throw new InvalidInputException("proxies", "is empty", "at least one proxy (from the site or given as addresses)");
        }
        this.proxies = List.copyOf(proxies);
        this.connector = connector;
        this.options = options;
    }

    public List<ProxyEndpoint> proxies() {
        return proxies;
    }

    /** Every server of every proxy, from {@code show stat} joined with {@code show servers state}. */
    public FleetStatus status(ProgressListener listener, Cancellation cancellation) {
        List<ProxyStatus> statuses = FanOut.run(proxies, options.parallelism(), proxy -> {
            try (RuntimeApiSession session = connector.open(proxy, cancellation)) {
                return ProxyStatus.ok(proxy, readServers(session, proxy, true));
            }
        }, (proxy, error) -> {
            rethrowCancellation(error);
            return ProxyStatus.failed(proxy, errorMessage(proxy, error));
        });
        cancellation.throwIfCancelled();
        // Printed in the order the proxies were given, not the order they answered.
        for (ProxyStatus status : statuses) {
            listener.line(status.ok() ? "[" + status.proxy().shortLabel() + "] " + summarize(status.servers())
                    : "[" + status.proxy().label() + "] unreachable: " + status.error());
        }
        return new FleetStatus(statuses);
    }

    /**
     * Sets a server's administrative state on every proxy that has it, then verifies it.
     * Draining or maintaining is refused, before any proxy is touched, when it would leave a
     * shared backend (one with more than one server) with no ready server on some proxy,
     * unless {@code force}. A dedicated backend whose only server is the target is exempt:
     * emptying it of new traffic is what draining a shard means.
     */
    public FleetChange setServerState(ServerTarget target, ServerState state, boolean force,
                                      ProgressListener listener, Cancellation cancellation) {
        String operation = state.keyword() + " " + target;
        return change(operation, listener, cancellation, new ChangePlan() {
            @Override
            public String problem(ProxyEndpoint proxy, List<ServerRow> rows) {
                return targets(rows, target).isEmpty() ? "no server " + target + " on this proxy (No such server)" : null;
            }

            @Override
            public String refusal(ProxyEndpoint proxy, List<ServerRow> rows) {
                return force || state == ServerState.READY ? null : lastReadyViolation(rows, target);
            }

            @Override
            public List<String> apply(ProxyEndpoint proxy, RuntimeApiSession session, List<ServerRow> rows) {
                List<String> details = new ArrayList<>();
                for (ServerRow row : targets(rows, target)) {
                    if (row.adminState() == state) {
                        continue;
                    }
                    expectEmpty(proxy, session, RuntimeCommand.setServerState(row.backend(), row.server(), state));
                    details.add(row.backend() + "/" + row.server() + ": " + row.adminState().keyword() + " -> " + state.keyword());
                }
                if (!details.isEmpty()) {
                    for (ServerRow after : targets(readServers(session, proxy, false), target)) {
                        if (after.adminState() != state) {
                            throw new RuntimeApiException(proxy.label() + ": read back " + after.backend() + "/" + after.server()
                                    + " as " + after.adminState().keyword() + ", expected " + state.keyword());
                        }
                    }
                }
                return details;
            }
        });
    }

    /** Sets a server's weight (0..256) on every proxy that has it, verified with {@code get weight}. */
    public FleetChange setWeight(ServerTarget target, int weight, ProgressListener listener, Cancellation cancellation) {
        Inputs.range("weight", weight, 0, 256);
        return change("weight " + weight + " " + target, listener, cancellation, new ChangePlan() {
            @Override
            public String problem(ProxyEndpoint proxy, List<ServerRow> rows) {
                return targets(rows, target).isEmpty() ? "no server " + target + " on this proxy (No such server)" : null;
            }

            @Override
            public List<String> apply(ProxyEndpoint proxy, RuntimeApiSession session, List<ServerRow> rows) {
                List<String> details = new ArrayList<>();
                for (ServerRow row : targets(rows, target)) {
                    if (row.weight() == weight) {
                        continue;
                    }
                    expectEmpty(proxy, session, RuntimeCommand.setWeight(row.backend(), row.server(), weight));
                    int readBack = RuntimeReplies.weight(session.execute(RuntimeCommand.getWeight(row.backend(), row.server())));
                    if (readBack != weight) {
                        throw new RuntimeApiException(proxy.label() + ": read back weight " + readBack + " for "
                                + row.backend() + "/" + row.server() + ", expected " + weight);
                    }
                    details.add(row.backend() + "/" + row.server() + ": weight " + row.weight() + " -> " + weight);
                }
                return details;
            }
        });
    }

    /**
     * Sets {@code key} to {@code value} in a map file on every proxy, atomically: the whole map
     * is rebuilt as a new version ({@code prepare map}, {@code add map @v}, {@code commit map @v})
     * so requests never see a half-written map. {@code mapOf} picks the map path per proxy.
     */
    public FleetChange setMapEntry(String mapName, Function<ProxyEndpoint, String> mapOf, String key, String value,
                                   ProgressListener listener, Cancellation cancellation) {
        Inputs.require("key", key, Inputs.MAP_TOKEN);
        Inputs.require("value", value, Inputs.MAP_TOKEN);
        Map<ProxyEndpoint, String> paths = new HashMap<>();
        for (ProxyEndpoint proxy : proxies) {
            String path = mapOf.apply(proxy);
            if (path == null) {
                throw new InvalidInputException(mapName, "is not configured for proxy " + proxy.label(),
                        "an absolute map path in the site (haproxy." + mapName + ") or as a step parameter");
            }
            paths.put(proxy, Inputs.absolutePath(mapName, path));
        }
        return change("set " + mapName + " " + key + "=" + value, listener, cancellation, new ChangePlan() {
            @Override
            public boolean needsServers() {
                return false;
            }

            @Override
            public List<String> apply(ProxyEndpoint proxy, RuntimeApiSession session, List<ServerRow> rows) {
                String path = paths.get(proxy);
                LinkedHashMap<String, String> current = RuntimeReplies.map(session.execute(RuntimeCommand.showMap(path)), path);
                if (value.equals(current.get(key))) {
                    return List.of();
                }
                String before = current.get(key);
                LinkedHashMap<String, String> wanted = new LinkedHashMap<>(current);
                wanted.put(key, value);
                int version = RuntimeReplies.preparedVersion(session.execute(RuntimeCommand.prepareMap(path)), path);
                for (Map.Entry<String, String> entry : wanted.entrySet()) {
                    if (!Inputs.MAP_TOKEN.matches(entry.getKey()) || !Inputs.MAP_TOKEN.matches(entry.getValue())) {
                        throw new RuntimeApiException(proxy.label() + ": map " + path + " holds an entry that cannot be re-added safely;"
                                + " nothing was committed");
                    }
                    expectEmpty(proxy, session, RuntimeCommand.addMapEntry(version, path, entry.getKey(), entry.getValue()));
                }
                expectEmpty(proxy, session, RuntimeCommand.commitMap(version, path));
                LinkedHashMap<String, String> after = RuntimeReplies.map(session.execute(RuntimeCommand.showMap(path)), path);
                if (!after.equals(wanted)) {
                    throw new RuntimeApiException(proxy.label() + ": map " + path + " read back differs after commit @" + version);
                }
                return List.of(path + ": " + key + " " + (before == null ? "(absent)" : before) + " -> " + value);
            }
        });
    }

    /** Marks the proxies up or down for the cloud load balancer through their {@code up.map}. */
    public FleetChange setHealth(boolean up, ProgressListener listener, Cancellation cancellation) {
        return setMapEntry("upMap", ProxyEndpoint::upMap, "up", up ? "up" : "down", listener, cancellation);
    }

    /** Points the live map at a release on every proxy ({@code live -> release-<N>}). */
    public FleetChange setLiveRelease(int release, ProgressListener listener, Cancellation cancellation) {
        Inputs.range("release", release, 1, Integer.MAX_VALUE);
        return setMapEntry("liveMap", ProxyEndpoint::liveMap, "live", "release-" + release, listener, cancellation);
    }

    // ---- the shared read / check / apply / verify skeleton ----

    /** One kind of change: what must hold on a proxy before anything changes, and how to apply it. */
    private interface ChangePlan {
        /** Whether the checks and {@link #apply} need the proxy's server list. */
        default boolean needsServers() {
            return true;
        }

        /** Why this proxy cannot be changed (it fails; the others go ahead), or null. */
        default String problem(ProxyEndpoint proxy, List<ServerRow> rows) {
            return null;
        }

        /** Why changing this proxy would be unsafe (refuses the whole change, nothing is touched), or null. */
        default String refusal(ProxyEndpoint proxy, List<ServerRow> rows) {
            return null;
        }

        /** Applies and verifies the change; returns one line per item changed (empty: nothing to do). */
        List<String> apply(ProxyEndpoint proxy, RuntimeApiSession session, List<ServerRow> rows);
    }

    /** Per-proxy state carried from the read phase to the apply phase. */
    private static final class Prepared {
        final ProxyEndpoint proxy;
        RuntimeApiSession session;
        List<ServerRow> rows = List.of();
        String readError;
        String problem;
        String refusal;

        Prepared(ProxyEndpoint proxy) {
            this.proxy = proxy;
        }
    }

    private FleetChange change(String operation, ProgressListener listener, Cancellation cancellation, ChangePlan plan) {
        List<Prepared> prepared = new ArrayList<>();
        proxies.forEach(p -> prepared.add(new Prepared(p)));
        try {
            // Phase 1: read every proxy and check preconditions; nothing is changed yet.
            FanOut.run(prepared, options.parallelism(), p -> {
                p.session = connector.open(p.proxy, cancellation);
                if (plan.needsServers()) {
                    p.rows = readServers(p.session, p.proxy, false);
                    p.problem = plan.problem(p.proxy, p.rows);
                    p.refusal = p.problem == null ? plan.refusal(p.proxy, p.rows) : null;
                }
                return p;
            }, (p, error) -> {
                rethrowCancellation(error);
                p.readError = errorMessage(p.proxy, error);
                return p;
            });
            cancellation.throwIfCancelled();

            boolean refused = prepared.stream().anyMatch(p -> p.refusal != null);
            List<ProxyOutcome> outcomes;
            if (refused) {
                outcomes = new ArrayList<>();
                for (Prepared p : prepared) {
                    String failure = p.readError != null ? p.readError : p.problem;
                    outcomes.add(failure != null ? new ProxyOutcome(p.proxy, Result.FAILED, failure, List.of())
                            : new ProxyOutcome(p.proxy, Result.REFUSED, p.refusal != null ? p.refusal
                            : "not changed: the change was refused on another proxy (use force to override)", List.of()));
                }
            } else {
                // Phase 2: apply and verify on every proxy that could be read.
                outcomes = FanOut.run(prepared, options.parallelism(), p -> {
                    if (p.readError != null) {
                        return new ProxyOutcome(p.proxy, Result.FAILED, p.readError, List.of());
                    }
                    if (p.problem != null) {
                        return new ProxyOutcome(p.proxy, Result.FAILED, p.problem, List.of());
                    }
                    List<String> details = plan.apply(p.proxy, p.session, p.rows);
                    return details.isEmpty()
                            ? new ProxyOutcome(p.proxy, Result.UNCHANGED, operation + ": already so", details)
                            : new ProxyOutcome(p.proxy, Result.CHANGED, operation + ": " + String.join(", ", details) + " (verified)", details);
                }, (p, error) -> {
                    rethrowCancellation(error);
                    return new ProxyOutcome(p.proxy, Result.FAILED, errorMessage(p.proxy, error), List.of());
                });
            }
            cancellation.throwIfCancelled();
            outcomes.forEach(o -> listener.line(o.line()));
            FleetChange change = new FleetChange(operation, outcomes);
            if (!change.allSucceeded() && !options.tolerateFailures()) {
                throw new FleetOperationException(change);
            }
            return change;
        } finally {
            for (Prepared p : prepared) {
                if (p.session != null) {
                    p.session.close();
                }
            }
        }
    }

    /** The last-ready guard for one proxy; see {@link #setServerState}. */
    private static String lastReadyViolation(List<ServerRow> rows, ServerTarget target) {
        Map<String, List<ServerRow>> byBackend = new LinkedHashMap<>();
        for (ServerRow row : rows) {
            byBackend.computeIfAbsent(row.backend(), b -> new ArrayList<>()).add(row);
        }
        for (Map.Entry<String, List<ServerRow>> backend : byBackend.entrySet()) {
            List<ServerRow> servers = backend.getValue();
            boolean affected = servers.stream().anyMatch(s -> target.matches(s.backend(), s.server()) && s.isReady());
            if (!affected || servers.size() < 2) {
                continue;
            }
            boolean othersReady = servers.stream().anyMatch(s -> !target.matches(s.backend(), s.server()) && s.isReady());
            if (!othersReady) {
                return "refused: backend " + backend.getKey() + " would have no ready server left on this proxy"
                        + " (use force: true to do it anyway)";
            }
        }
        return null;
    }

    private static List<ServerRow> targets(List<ServerRow> rows, ServerTarget target) {
        List<ServerRow> matching = new ArrayList<>();
        for (ServerRow row : rows) {
            if (target.matches(row.backend(), row.server())) {
                matching.add(row);
            }
        }
        return matching;
    }

    private static void expectEmpty(ProxyEndpoint proxy, RuntimeApiSession session, RuntimeCommand command) {
        String reply = session.execute(command);
        if (!reply.isBlank()) {
            throw new RuntimeApiException(proxy.label() + ": '" + command + "' was rejected: " + RuntimeReplies.firstLine(reply));
        }
    }

    /** Servers of one proxy; with {@code withStats} also status, sessions and check result from {@code show stat}. */
    private static List<ServerRow> readServers(RuntimeApiSession session, ProxyEndpoint proxy, boolean withStats) {
        List<Map<String, String>> state;
        Map<String, Map<String, String>> stats = new HashMap<>();
        try {
            state = RuntimeReplies.serversState(session.execute(RuntimeCommand.showServersState()));
            if (withStats) {
                for (Map<String, String> row : RuntimeReplies.stat(session.execute(RuntimeCommand.showStat()))) {
                    stats.put(row.get("pxname") + "/" + row.get("svname"), row);
                }
            }
        } catch (RuntimeReplies.MalformedReplyException e) {
            throw new RuntimeApiException(proxy.label() + ": " + e.getMessage());
        }
        List<ServerRow> rows = new ArrayList<>();
        for (Map<String, String> s : state) {
            String backend = s.get("be_name");
            String server = s.get("srv_name");
            Map<String, String> stat = stats.getOrDefault(backend + "/" + server, Map.of());
            rows.add(new ServerRow(backend, server, s.getOrDefault("srv_addr", "-"),
                    RuntimeReplies.intOr(s, "srv_op_state", -1), RuntimeReplies.intOr(s, "srv_admin_state", 0),
                    RuntimeReplies.intOr(s, "srv_uweight", -1), stat.getOrDefault("status", "-"),
                    RuntimeReplies.intOr(stat, "scur", 0), checkStatus(stat.get("check_status")),
                    "1".equals(stat.get("bck"))));
        }
        return rows;
    }

    /** show stat prefixes the last check result with "* " while a check is running; the result is what matters. */
    private static String checkStatus(String value) {
        if (value == null || value.isEmpty()) {
            return "-";
        }
        return value.startsWith("* ") ? value.substring(2) : value;
    }

    private static String summarize(List<ServerRow> rows) {
        long ready = rows.stream().filter(ServerRow::isReady).count();
        long drain = rows.stream().filter(r -> r.adminState() == ServerState.DRAIN).count();
        long maint = rows.stream().filter(r -> r.adminState() == ServerState.MAINT).count();
        long down = rows.stream().filter(r -> r.operationalState() != 2).count();
        return rows.size() + " servers: " + ready + " ready, " + drain + " drain, " + maint + " maint, " + down + " not running";
    }

    private static void rethrowCancellation(Throwable error) {
        if (error instanceof CancellationException) {
            throw (CancellationException) error;
        }
    }

    /** A failure as one line that names the proxy (runtime API errors already do). */
    private static String errorMessage(ProxyEndpoint proxy, Throwable error) {
        String message = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        String label = proxy.label() + ": ";
        return message.startsWith(label) ? message.substring(label.length()) : message;
    }
}
