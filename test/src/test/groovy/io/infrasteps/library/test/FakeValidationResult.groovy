package io.infrasteps.library.test

/**
 * Stand-in for the plugin's validateShard result: serializable, with the getters the library uses:
 * getShards() (each getShard(), isPassed(), getChecks(): each getName(), isOk(), getReason()),
 * isAllPassed(), getFailedShards() (shard names).
 */
class FakeValidationResult implements Serializable {
    private static final long serialVersionUID = 1L

    static final List<String> CHECKS = ['consul', 'sidecar', 'haproxy', 'state']

    private final ArrayList<Shard> shards = []

    FakeValidationResult(List<Shard> shards) {
        this.shards.addAll(shards)
    }

    /**
     * Every shard with the four checks of the plugin (consul, sidecar, haproxy, state); {@code failures}
     * maps a shard to its failed checks (check name to reason).
     */
    static FakeValidationResult of(List<String> names, Map<String, Map<String, String>> failures) {
        List<Shard> list = []
        for (String name : names) {
            Map<String, String> failed = failures.get(name) ?: [:]
            List<Check> checks = []
            for (String check : CHECKS) {
                checks.add(new Check(check, !failed.containsKey(check), failed.containsKey(check) ? failed.get(check) : "${check} fine".toString()))
            }
            list.add(new Shard(name, checks))
        }
        return new FakeValidationResult(list)
    }

    List<Shard> getShards() {
        return Collections.unmodifiableList(shards)
    }

    boolean isAllPassed() {
        return getFailedShards().isEmpty()
    }

    List<String> getFailedShards() {
        List<String> failed = []
        for (Shard s : this.shards) {
            if (!s.isPassed()) {
                failed.add(s.getShard())
            }
        }
        return failed
    }

    static class Shard implements Serializable {
        private static final long serialVersionUID = 1L
        private final String shard
        private final ArrayList<Check> checks = []

        Shard(String shard, List<Check> checks) {
            this.shard = shard
            this.checks.addAll(checks)
        }

        String getShard() {
            return shard
        }

        boolean isPassed() {
            for (Check c : this.checks) {
                if (!c.isOk()) {
                    return false
                }
            }
            return true
        }

        List<Check> getChecks() {
            return Collections.unmodifiableList(checks)
        }
    }

    static class Check implements Serializable {
        private static final long serialVersionUID = 1L
        private final String name
        private final boolean ok
        private final String reason

        Check(String name, boolean ok, String reason) {
            this.name = name
            this.ok = ok
            this.reason = reason
        }

        String getName() {
            return name
        }

        boolean isOk() {
            return ok
        }

        String getReason() {
            return reason
        }
    }
}
