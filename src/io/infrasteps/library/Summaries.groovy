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

    /**
     * Summary of shardValidation.validate: a table with one row per shard and one column per check
     * (ok, FAILED, or - when the check did not run for that shard), then the reason of each failed
     * check. Each report is a Map [shard, passed, checks: [[name, ok, reason]]] (see StepResults).
     */
    @NonCPS
    static String shardValidation(String environment, Integer release, List<Map> reports) {
        List<String> columns = []
        int passed = 0
        int width = 'shard'.length()
        for (Map r : reports) {
            if (r.passed == true) {
                passed++
            }
            width = Math.max(width, String.valueOf(r.shard).length())
            for (Map c : (List<Map>) r.checks) {
                if (!columns.contains(String.valueOf(c.name))) {
                    columns.add(String.valueOf(c.name))
                }
            }
        }
        StringBuilder b = new StringBuilder("Shard validation in ").append(environment)
        if (release != null) {
            b.append(" (release ").append(release).append(')')
        }
        b.append(": ").append(reports.size()).append(reports.size() == 1 ? ' shard, ' : ' shards, ')
        b.append(passed).append(" passed, ").append(reports.size() - passed).append(" failed")
        List<Integer> widths = [width, 6]
        List<String> header = ['shard', 'result']
        for (String column : columns) {
            widths.add(Math.max(6, column.length()))
            header.add(column)
        }
        b.append('\n  ').append(row(header, widths))
        for (Map r : reports) {
            List<String> cells = [String.valueOf(r.shard), r.passed == true ? 'passed' : 'FAILED']
            for (String column : columns) {
                Map check = null
                for (Map c : (List<Map>) r.checks) {
                    if (String.valueOf(c.name) == column) {
                        check = c
                    }
                }
                cells.add(check == null ? '-' : check.ok == true ? 'ok' : 'FAILED')
            }
            b.append('\n  ').append(row(cells, widths))
        }
        for (Map r : reports) {
            for (Map c : (List<Map>) r.checks) {
                if (c.ok != true) {
                    b.append('\n  ').append(r.shard).append(' ').append(c.name).append(': ').append(c.reason)
                }
            }
        }
        return b.toString()
    }

    /** One table row: cells padded to their column's width, two spaces apart, no trailing blanks. */
    @NonCPS
    static String row(List<String> cells, List<Integer> widths) {
        StringBuilder b = new StringBuilder()
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                b.append('  ')
            }
            b.append(i == cells.size() - 1 ? cells[i] : cells[i].padRight(widths[i]))
        }
        return b.toString()
    }

    /** The message the build fails with when shards failed validation: each failed shard and its failed checks. */
    @NonCPS
    static String shardValidationFailure(String environment, List<Map> reports, List<String> failed) {
        List<String> parts = []
        for (String shard : failed) {
            List<String> reasons = []
            for (Map r : reports) {
                if (r.shard == shard) {
                    for (Map c : (List<Map>) r.checks) {
                        if (c.ok != true) {
                            reasons.add("${c.name}: ${c.reason}".toString())
                        }
                    }
                }
            }
            parts.add(reasons.isEmpty() ? shard : "${shard} (${reasons.join('; ')})".toString())
        }
        return "shardValidation: ${failed.size()} of ${reports.size()} shards failed validation in ${environment}: ${parts.join(', ')}".toString()
    }

    /**
     * Summary of releaseGa.set: the release made live, then one line per proxy outcome
     * [operation, proxy, region, result, message] (see StepResults).
     */
    @NonCPS
    static String releaseGa(String environment, int release, String lockName, Map change) {
        List<Map> outcomes = (List<Map>) change.outcomes
        StringBuilder b = new StringBuilder("Release GA in ").append(environment).append(" (lock ").append(lockName).append("): ")
        if (change.ok == true) {
            b.append("release-").append(release).append(" is live")
        } else {
            b.append("release-").append(release).append(" is NOT live everywhere")
        }
        if (outcomes.isEmpty()) {
            b.append("; the step reported no per-proxy outcomes")
        } else {
            b.append("; ").append(outcomes.size() - (int) change.failedCount).append(" of ").append(outcomes.size()).append(" proxy changes ok")
        }
        for (Map o : outcomes) {
            b.append('\n  ').append(o.region).append(' ').append(o.proxy).append(': ').append(o.result)
            if (o.operation) {
                b.append(' (').append(o.operation).append(')')
            }
            if (o.message) {
                b.append(': ').append(o.message)
            }
        }
        return b.toString()
    }

    /** The message the build fails with when setHaproxy reported failed proxies: each of them. */
    @NonCPS
    static String releaseGaFailure(String environment, int release, Map change) {
        List<String> failed = []
        for (Map o : (List<Map>) change.outcomes) {
            if (o.result == 'failed' || o.result == 'refused') {
                failed.add("${o.region} ${o.proxy} (${o.result}${o.message ? ': ' + o.message : ''})".toString())
            }
        }
        return "releaseGa: release-${release} is not live on every proxy of ${environment}: ${change.failedCount} failed: ${failed.join('; ')}".toString()
    }
}
