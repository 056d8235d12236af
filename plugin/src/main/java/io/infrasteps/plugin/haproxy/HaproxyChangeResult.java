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
 */
public final class HaproxyChangeResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> operations = new ArrayList<>();
    private final ArrayList<LinkedHashMap<String, Object>> outcomes = new ArrayList<>();

    HaproxyChangeResult(List<FleetChange> changes) {
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

    /** True when every proxy was changed or already as asked. */
    @Whitelisted
    public boolean isOk() {
        return getFailedCount() == 0;
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
                + getUnchangedCount() + " unchanged, " + getFailedCount() + " failed]";
    }
}
