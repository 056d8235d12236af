package io.infrasteps.plugin.haproxy;

import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.ProxyOutcome;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;

/**
 * What {@code setHaproxy} returns: the outcome of each change on each proxy, as plain lists and maps a sandboxed
 * Pipeline reads without approvals. Outcome maps: {@code operation, proxy, region, address, result}
 * (changed|unchanged|failed|refused), {@code message}, {@code details} (one line per server or map entry touched).
 * On a site with Consul, also the outcome per datacenter of the KV write ({@code datacenter, key, result, message};
 * result changed|unchanged|failed for {@code liveRelease}, verified|failed for a shard's state read back after the
 * write) and the environment lock the change ran under.
 */
public final class HaproxyChangeResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> operations = new ArrayList<>();
    private final ArrayList<LinkedHashMap<String, Object>> outcomes = new ArrayList<>();
    private final ArrayList<LinkedHashMap<String, String>> datacenters = new ArrayList<>();
    private final String lock;

    HaproxyChangeResult(List<FleetChange> changes) {
        this(changes, List.of(), null);
    }

    HaproxyChangeResult(List<FleetChange> changes, List<Map<String, String>> datacenterOutcomes, String lock) {
        this.lock = lock;
        for (Map<String, String> d : datacenterOutcomes) {
            datacenters.add(new LinkedHashMap<>(d));
        }
        for (FleetChange change : changes) {
            operations.add(change.operation());
            for (ProxyOutcome o : change.outcomes()) {
                LinkedHashMap<String, Object> m = new LinkedHashMap<>();
                m.put("operation", change.operation());
                m.put("proxy", o.proxy().name());
                m.put("region", o.proxy().region());
                m.put("address", o.proxy().address().toString());
                m.put("result", o.result().name().toLowerCase(Locale.ROOT));
                m.put("message", o.message());
                m.put("details", new ArrayList<>(o.details()));
                outcomes.add(m);
            }
        }
    }

    /** True when every proxy (and every Consul datacenter written) was changed or already as asked. */
    @Whitelisted
    public boolean isOk() {
        return getFailedCount() == 0 && datacenters.stream().noneMatch(d -> "failed".equals(d.get("result")));
    }

    /** One map per Consul datacenter written: {@code datacenter, key, result, message}; empty without Consul. */
    @Whitelisted
    public List<Map<String, String>> getDatacenters() {
        return Collections.unmodifiableList(datacenters);
    }

    /** The environment lock the change ran under (e.g. {@code locks/stage/haproxy-state}), or null without Consul. */
    @Whitelisted
    public String getLock() {
        return lock;
    }

    /** What was asked, e.g. "drain shard stage-us-ashburn-1-s2", in the order applied. */
    @Whitelisted
    public List<String> getOperations() {
        return Collections.unmodifiableList(operations);
    }

    /** One map per operation and proxy. */
    @Whitelisted
    public List<Map<String, Object>> getOutcomes() {
        return Collections.unmodifiableList(outcomes);
    }

    @Whitelisted
    public int getChangedCount() {
        return count("changed");
    }

    @Whitelisted
    public int getUnchangedCount() {
        return count("unchanged");
    }

    /** Proxies that failed or were refused (only when tolerateFailures: true; otherwise the step fails). */
    @Whitelisted
    public int getFailedCount() {
        return count("failed") + count("refused");
    }

    private int count(String result) {
        return (int) outcomes.stream().filter(o -> result.equals(o.get("result"))).count();
    }

    @Override
    public String toString() {
        return "HaproxyChangeResult[" + String.join("; ", operations) + ": " + getChangedCount() + " changed, "
                + getUnchangedCount() + " unchanged, " + getFailedCount() + " failed"
                + (datacenters.isEmpty() ? "" : ", " + datacenters.size() + " datacenters") + "]";
    }
}
