package io.infrasteps.library

import com.cloudbees.groovy.cps.NonCPS

/**
 * Text of the summaries the library's vars print. Pure and {@code @NonCPS}; inputs and outputs
 * are plain Strings, Lists and Maps.
 */
class Summaries implements Serializable {

    private static final long serialVersionUID = 1L

    /**
     * Summary of shardStates.apply: one line per shard change, in the order they were made.
     * Each change is a Map [shard, state, outcome: ok|failed|skipped, proxies, error].
     */
    @NonCPS
    static String shardStates(String environment, String lockName, List<Map> changes) {
        int ok = 0
        int failed = 0
        int skipped = 0
        StringBuilder b = new StringBuilder()
        for (Map c : changes) {
            String outcome = c.outcome
            if (outcome == 'ok') {
                ok++
            } else if (outcome == 'failed') {
                failed++
            } else {
                skipped++
            }
        }
        b.append("Shard states in ").append(environment).append(" (lock ").append(lockName).append("): ")
        b.append(ok).append(" ok, ").append(failed).append(" failed, ").append(skipped).append(" skipped")
        for (Map c : changes) {
            b.append('\n  ').append(String.valueOf(c.state).padRight(5)).append(' ').append(c.shard).append(': ')
            if (c.outcome == 'ok') {
                b.append('ok')
                if (c.proxies != null) {
                    b.append(' on ').append(c.proxies).append(c.proxies == 1 ? ' proxy' : ' proxies')
                }
            } else if (c.outcome == 'failed') {
                b.append('FAILED: ').append(c.error)
            } else {
                b.append('skipped: ').append(c.error)
            }
        }
        return b.toString()
    }

    /** How many changes did not succeed (failed or skipped). */
    @NonCPS
    static int countNotOk(List<Map> changes) {
        int n = 0
        for (Map c : changes) {
            if (c.outcome != 'ok') {
                n++
            }
        }
        return n
    }

    /** The message the build fails with: every failed or skipped shard, by name. */
    @NonCPS
    static String shardStatesFailure(String environment, List<Map> changes) {
        List<String> failed = []
        List<String> skipped = []
        for (Map c : changes) {
            if (c.outcome == 'failed') {
                failed.add("${c.state} ${c.shard} (${c.error})".toString())
            } else if (c.outcome == 'skipped') {
                skipped.add("${c.state} ${c.shard}".toString())
            }
        }
        StringBuilder b = new StringBuilder("shardStates: ")
        b.append(failed.size()).append(' of ').append(changes.size()).append(' shard changes failed in ')
        b.append(environment).append(': ').append(failed.join('; '))
        if (!skipped.isEmpty()) {
            b.append('. Not attempted because a ready change failed: ').append(skipped.join(', '))
        }
        return b.toString()
    }
}
