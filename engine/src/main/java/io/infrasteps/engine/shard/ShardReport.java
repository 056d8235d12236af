package io.infrasteps.engine.shard;

import java.io.Serializable;
import java.util.List;

/** The result of validating one shard: each check with its outcome and reason. */
public final class ShardReport implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShardName shard;
    private final List<Check> checks;

    public ShardReport(ShardName shard, List<Check> checks) {
        this.shard = shard;
        this.checks = List.copyOf(checks);
    }

    public ShardName shard() {
        return shard;
    }

    public List<Check> checks() {
        return checks;
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::ok);
    }

    /** "consul ok, sidecar FAILED (healthy is false), ..." */
    public String line() {
        StringBuilder text = new StringBuilder(shard.toString()).append(passed() ? ": passed (" : ": FAILED (");
        for (int i = 0; i < checks.size(); i++) {
            Check check = checks.get(i);
            text.append(i == 0 ? "" : ", ").append(check.name()).append(check.ok() ? " ok" : " failed: " + check.reason());
        }
        return text.append(')').toString();
    }

    /** One check: consul, sidecar, haproxy or state. */
    public static final class Check implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String name;
        private final boolean ok;
        private final String reason;

        public Check(String name, boolean ok, String reason) {
            this.name = name;
            this.ok = ok;
            this.reason = reason;
        }

        public String name() {
            return name;
        }

        public boolean ok() {
            return ok;
        }

        /** What was found (on success too, e.g. "state ready"). */
        public String reason() {
            return reason;
        }
    }
}
