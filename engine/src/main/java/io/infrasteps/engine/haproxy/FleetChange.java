package io.infrasteps.engine.haproxy;

import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/** The outcome of one change on every proxy it addressed. */
public final class FleetChange implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final List<ProxyOutcome> outcomes;

    public FleetChange(String operation, List<ProxyOutcome> outcomes) {
        this.operation = operation;
        this.outcomes = List.copyOf(outcomes);
    }

    /** What was asked, e.g. "drain shard stage-x-us-ashburn-1-s2". */
    public String operation() {
        return operation;
    }

    public List<ProxyOutcome> outcomes() {
        return outcomes;
    }

    public boolean allSucceeded() {
        return outcomes.stream().allMatch(ProxyOutcome::succeeded);
    }

    public List<ProxyOutcome> failures() {
        return outcomes.stream().filter(o -> !o.succeeded()).collect(Collectors.toList());
    }

    /** One line per proxy that did not succeed, preceded by the counts. */
    public String summary() {
        long changed = outcomes.stream().filter(o -> o.result() == ProxyOutcome.Result.CHANGED).count();
        long unchanged = outcomes.stream().filter(o -> o.result() == ProxyOutcome.Result.UNCHANGED).count();
        StringBuilder text = new StringBuilder(operation).append(": ")
                .append(changed).append(" changed, ").append(unchanged).append(" unchanged, ")
                .append(failures().size()).append(" failed or refused of ").append(outcomes.size()).append(" proxies");
        for (ProxyOutcome failure : failures()) {
            text.append("\n  ").append(failure.line());
        }
        return text.toString();
    }
}
