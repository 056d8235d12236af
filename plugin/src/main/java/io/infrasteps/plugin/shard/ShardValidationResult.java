package io.infrasteps.plugin.shard;

import io.infrasteps.engine.shard.ShardReport;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;

/**
 * What {@code validateShard} returns: per shard, whether it passed and each check (consul, sidecar, haproxy, state)
 * with its outcome and reason. Strings and booleans only, with whitelisted getters, so a sandboxed Pipeline reads it
 * without script approvals:
 * <pre>
 * def v = validateShard site: 'stage', shards: ['stage-us-ashburn-1-s2'], tolerateFailures: true
 * v.shards.each { s -&gt; s.checks.findAll { !it.ok }.each { echo "${s.shard} ${it.name}: ${it.reason}" } }
 * </pre>
 */
public final class ShardValidationResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArrayList<Shard> shards = new ArrayList<>();

    ShardValidationResult(List<ShardReport> reports) {
        for (ShardReport report : reports) {
            shards.add(new Shard(report));
        }
    }

    /** One entry per shard, in the order asked. */
    @Whitelisted
    public List<Shard> getShards() {
        return Collections.unmodifiableList(shards);
    }

    /** True when every shard passed every check. */
    @Whitelisted
    public boolean isAllPassed() {
        return shards.stream().allMatch(Shard::isPassed);
    }

    /** Names of the shards that failed a check. */
    @Whitelisted
    public List<String> getFailedShards() {
        List<String> out = new ArrayList<>();
        shards.stream().filter(s -> !s.isPassed()).forEach(s -> out.add(s.getShard()));
        return out;
    }

    @Override
    public String toString() {
        return "ShardValidationResult[" + shards.size() + " shards, failed " + getFailedShards() + "]";
    }

    /** One shard's validation. */
    public static final class Shard implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String shard;
        private final boolean passed;
        private final ArrayList<Check> checks = new ArrayList<>();

        Shard(ShardReport report) {
            this.shard = report.shard().toString();
            this.passed = report.passed();
            report.checks().forEach(c -> checks.add(new Check(c.name(), c.ok(), c.reason())));
        }

        @Whitelisted
        public String getShard() {
            return shard;
        }

        @Whitelisted
        public boolean isPassed() {
            return passed;
        }

        /** consul, sidecar, haproxy (when the site has proxies) and state, in that order. */
        @Whitelisted
        public List<Check> getChecks() {
            return Collections.unmodifiableList(checks);
        }

        @Override
        public String toString() {
            return shard + (passed ? ": passed" : ": FAILED");
        }
    }

    /** One check of one shard. */
    public static final class Check implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String name;
        private final boolean ok;
        private final String reason;

        Check(String name, boolean ok, String reason) {
            this.name = name;
            this.ok = ok;
            this.reason = reason == null ? "" : reason.replaceAll("\\p{Cntrl}", " ");
        }

        /** consul, sidecar, haproxy or state. */
        @Whitelisted
        public String getName() {
            return name;
        }

        @Whitelisted
        public boolean isOk() {
            return ok;
        }

        /** What was found, on success too (e.g. "state ready"). */
        @Whitelisted
        public String getReason() {
            return reason;
        }

        @Override
        public String toString() {
            return name + (ok ? " ok" : " failed: " + reason);
        }
    }
}
