package io.infrasteps.library.test

/**
 * Stand-in for the plugin's setHaproxy result (io.infrasteps.plugin.haproxy.HaproxyChangeResult):
 * serializable, with the same whitelisted getters the library uses: isOk(), getOutcomes()
 * (one map per proxy: operation, proxy, region, address, result, message, details), getFailedCount().
 */
class FakeSetHaproxyResult implements Serializable {
    private static final long serialVersionUID = 1L

    private final ArrayList<LinkedHashMap<String, Object>> outcomes = []

    /** One outcome per proxy name; every proxy fails when {@code ok} is false. */
    FakeSetHaproxyResult(List<String> proxies, boolean ok) {
        for (String proxy : proxies) {
            this.outcomes.add([operation: 'set state', proxy: proxy, region: 'us-ashburn-1', address: "tcp://127.0.0.1:9999",
                          result: ok ? 'changed' : 'failed', message: ok ? '' : 'No such server.', details: []] as LinkedHashMap)
        }
    }

    boolean isOk() {
        return getFailedCount() == 0
    }

    List<Map<String, Object>> getOutcomes() {
        return Collections.unmodifiableList(outcomes)
    }

    int getFailedCount() {
        int failed = 0
        for (Map o : this.outcomes) {
            if (o.result == 'failed' || o.result == 'refused') {
                failed++
            }
        }
        return failed
    }
}
