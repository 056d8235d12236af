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
     * Summary of setReleaseGa: the release made live, then one line per proxy outcome
     * [operation, proxy, region, result, message] (see StepResults).
     */
    @NonCPS
    static String releaseGa(String environment, int release, String lockName, Map change) {
        StringBuilder b = new StringBuilder("Release GA in ").append(environment).append(" (lock ").append(lockName).append("): ")
        b.append("release-").append(release).append(change.ok == true ? " is live" : " is NOT live everywhere")
        appendChange(b, change)
        return b.toString()
    }

    /** How many of a setHaproxy change's proxy changes were ok, then one line per outcome: region, proxy, result, (operation) and message. */
    @NonCPS
    static void appendChange(StringBuilder b, Map change) {
        List<Map> outcomes = (List<Map>) change.outcomes
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
    }

    /** The failed or refused outcomes of a setHaproxy change, one "region proxy (result: message)" each. */
    @NonCPS
    static List<String> failedOutcomes(Map change) {
        List<String> failed = []
        for (Map o : (List<Map>) change.outcomes) {
            if (o.result == 'failed' || o.result == 'refused') {
                failed.add("${o.region} ${o.proxy} (${o.result}${o.message ? ': ' + o.message : ''})".toString())
            }
        }
        return failed
    }

    /** The message the build fails with when setHaproxy reported failed proxies: each of them. */
    @NonCPS
    static String releaseGaFailure(String environment, int release, Map change) {
        List<String> failed = failedOutcomes(change)
        return "setReleaseGa: release-${release} is not live on every proxy of ${environment}: ${change.failedCount} failed: ${failed.join('; ')}".toString()
    }

    // ---- multiRegion ----

    /** Most items a failure message lists before "and N more". */
    static final int MAX_LISTED = 10

    /**
     * Summary of multiRegion: counts, then one line per region in the order given. Each result is a Map
     * [region, status: ok|failed|aborted|not run, value, error].
     */
    @NonCPS
    static String multiRegion(String title, List<Map> results, int maxParallel, boolean failFast) {
        Map<String, Integer> counts = ['ok': 0, 'failed': 0, 'aborted': 0, 'not run': 0]
        int width = 0
        for (Map r : results) {
            String status = r.status
            counts.put(status, (counts.get(status) ?: 0) + 1)
            width = Math.max(width, String.valueOf(r.region).length())
        }
        StringBuilder b = new StringBuilder(title).append(': ')
        b.append(results.size()).append(results.size() == 1 ? ' region: ' : ' regions: ')
        b.append(counts.ok).append(' ok, ').append(counts.failed).append(' failed')
        if (counts.aborted > 0) {
            b.append(', ').append(counts.aborted).append(' aborted')
        }
        if (counts.get('not run') > 0) {
            b.append(', ').append(counts.get('not run')).append(' not run')
        }
        b.append(' (at most ').append(maxParallel).append(' at once').append(failFast ? ', fail fast)' : ')')
        for (Map r : results) {
            b.append('\n  ').append(String.valueOf(r.region).padRight(width)).append('  ')
            if (r.status == 'ok') {
                b.append('ok')
            } else if (r.status == 'failed') {
                b.append('FAILED: ').append(r.error)
            } else if (r.status == 'aborted') {
                b.append('aborted: ').append(r.error)
            } else {
                b.append('not run: ').append(r.error ?: 'stopped after a failure')
            }
        }
        return b.toString()
    }

    /** The regions of multiRegion results with one of the given statuses, in order. */
    @NonCPS
    static List<String> regionsWith(List<Map> results, List<String> statuses) {
        List<String> regions = []
        for (Map r : results) {
            if (statuses.contains(r.status)) {
                regions.add((String) r.region)
            }
        }
        return regions
    }

    /** The message multiRegion fails with: each failed region and its error, then those aborted or not run. */
    @NonCPS
    static String multiRegionFailure(String title, List<Map> results) {
        List<String> failed = []
        for (Map r : results) {
            if (r.status == 'failed') {
                failed.add("${r.region} (${r.error})".toString())
            }
        }
        List<String> stopped = regionsWith(results, ['aborted', 'not run'])
        StringBuilder b = new StringBuilder('multiRegion: ')
        if (title != 'multiRegion') {
            b.append(title).append(': ')
        }
        b.append(failed.size()).append(' of ').append(results.size()).append(results.size() == 1 ? ' region failed' : ' regions failed')
        b.append(': ').append(listed(failed, '; '))
        if (!stopped.isEmpty()) {
            b.append('. Aborted or not run: ').append(listed(stopped, ', '))
        }
        return b.toString()
    }

    /** At most {@link #MAX_LISTED} items joined, then "and N more". */
    @NonCPS
    static String listed(List<String> items, String separator) {
        if (items.size() <= MAX_LISTED) {
            return items.join(separator)
        }
        return items.subList(0, MAX_LISTED).join(separator) + "${separator}and ${items.size() - MAX_LISTED} more".toString()
    }

    // ---- HAProxy pipelines ----

    /** What an HAProxy change request asks, e.g. "state drain, weight 10 for release-7/x" or "health down". */
    @NonCPS
    static String haproxyChangeWhat(Map request) {
        if (request.health != null) {
            return "health ${request.health} on whole proxies".toString()
        }
        List<String> parts = []
        if (request.weight != null) {
            parts.add("weight ${request.weight}".toString())
        }
        if (request.state != null) {
            parts.add("state ${request.state}".toString())
        }
        return "${parts.join(', ')} for ${request.backend}/${request.server}${request.force ? ' (force)' : ''}".toString()
    }

    /** Summary of haproxyChange.apply: what was asked where, then one line per proxy outcome. */
    @NonCPS
    static String haproxyChange(String environment, String what, List<String> regions, String lockName, Map change) {
        StringBuilder b = new StringBuilder("HAProxy change in ").append(environment).append(" (lock ").append(lockName).append("): ")
        b.append(what).append(regions ? ' in ' + regions.join(', ') : ' in every region')
        appendChange(b, change)
        return b.toString()
    }

    /** The message the build fails with when setHaproxy reported failed proxies: each of them. */
    @NonCPS
    static String haproxyChangeFailure(String environment, String what, Map change) {
        return "haproxyChange: ${what} failed on ${change.failedCount} ${change.failedCount == 1 ? 'proxy' : 'proxies'} of ${environment}: ${listed(failedOutcomes(change), '; ')}".toString()
    }

    /**
     * Summary of haproxyMonitor.check: one table row per proxy (a failed region gets one row), then one
     * line per DOWN server, unreachable proxy and failed region. {@code results} are multiRegion's
     * results whose values are StepResults.haproxyStatus maps.
     */
    @NonCPS
    static String haproxyMonitor(String environment, String lockName, List<Map> results) {
        Map<String, Integer> totals = monitorTotals(results)
        StringBuilder b = new StringBuilder("HAProxy status in ").append(environment).append(" (lock ").append(lockName).append("): ")
        b.append(results.size()).append(results.size() == 1 ? ' region, ' : ' regions, ')
        b.append(totals.proxies).append(totals.proxies == 1 ? ' proxy, ' : ' proxies, ')
        b.append(totals.unreachable).append(' unreachable, ')
        b.append(totals.servers).append(totals.servers == 1 ? ' server, ' : ' servers, ')
        b.append(totals.down).append(' DOWN')
        if (totals.failedRegions > 0) {
            b.append(', ').append(totals.failedRegions).append(totals.failedRegions == 1 ? ' region failed' : ' regions failed')
        }
        List<List<String>> rows = [['region', 'proxy', 'result', 'servers', 'ready', 'drain', 'maint', 'DOWN']]
        List<String> details = []
        for (Map r : results) {
            Map value = r.value instanceof Map ? (Map) r.value : null
            if (r.status != 'ok' || value == null) {
                rows.add([String.valueOf(r.region), '-', r.status == 'ok' ? 'no result' : String.valueOf(r.status).toUpperCase(), '-', '-', '-', '-', '-'])
                details.add("${String.valueOf(r.status).toUpperCase()} ${r.region}: ${r.error ?: 'no status returned'}".toString())
                continue
            }
            List<Map> proxies = (List<Map>) value.proxies
            if (proxies.isEmpty()) {
                rows.add([String.valueOf(r.region), '-', 'no proxies', '0', '0', '0', '0', '0'])
            }
            for (Map p : proxies) {
                if (p.ok != true) {
                    rows.add([String.valueOf(r.region), String.valueOf(p.name), 'UNREACHABLE', '-', '-', '-', '-', '-'])
                    details.add("UNREACHABLE ${r.region} ${p.name}: ${p.error}".toString())
                    continue
                }
                int count = 0
                int ready = 0
                int drain = 0
                int maint = 0
                int down = 0
                for (Map s : (List<Map>) value.servers) {
                    if (s.proxy == p.name && s.region == p.region) {
                        count++
                        ready += s.state == 'ready' ? 1 : 0
                        drain += s.state == 'drain' ? 1 : 0
                        maint += s.state == 'maint' ? 1 : 0
                        if (s.down == true) {
                            down++
                            details.add("DOWN ${r.region} ${p.name} ${s.backend}/${s.server}: ${s.status} (state ${s.state}, ${s.operational}, check ${s.check})".toString())
                        }
                    }
                }
                rows.add([String.valueOf(r.region), String.valueOf(p.name), 'ok', "${count}".toString(), "${ready}".toString(),
                          "${drain}".toString(), "${maint}".toString(), "${down}".toString()])
            }
        }
        List<Integer> widths = []
        for (int i = 0; i < rows[0].size(); i++) {
            int w = 0
            for (List<String> cells : rows) {
                w = Math.max(w, cells[i].length())
            }
            widths.add(w)
        }
        for (List<String> cells : rows) {
            b.append('\n  ').append(row(cells, widths))
        }
        for (String d : details) {
            b.append('\n  ').append(d)
        }
        return b.toString()
    }

    /** Counts over haproxyMonitor results: proxies, unreachable, servers, down, failedRegions. */
    @NonCPS
    static Map<String, Integer> monitorTotals(List<Map> results) {
        Map<String, Integer> t = [proxies: 0, unreachable: 0, servers: 0, down: 0, failedRegions: 0]
        for (Map r : results) {
            Map value = r.value instanceof Map ? (Map) r.value : null
            if (r.status != 'ok' || value == null) {
                t.failedRegions = t.failedRegions + 1
                continue
            }
            for (Map p : (List<Map>) value.proxies) {
                t.proxies = t.proxies + 1
                if (p.ok != true) {
                    t.unreachable = t.unreachable + 1
                }
            }
            for (Map s : (List<Map>) value.servers) {
                t.servers = t.servers + 1
                if (s.down == true) {
                    t.down = t.down + 1
                }
            }
        }
        return t
    }

    /**
     * The message haproxyMonitor fails with, or null when every region answered, every proxy was
     * reached and no server is DOWN: counts, then each problem (at most {@link #MAX_LISTED}).
     */
    @NonCPS
    static String haproxyMonitorFailure(String environment, List<Map> results) {
        Map<String, Integer> t = monitorTotals(results)
        if (t.unreachable == 0 && t.down == 0 && t.failedRegions == 0) {
            return null
        }
        List<String> problems = []
        for (Map r : results) {
            Map value = r.value instanceof Map ? (Map) r.value : null
            if (r.status != 'ok' || value == null) {
                problems.add("region ${r.region} ${r.status == 'ok' ? 'returned no status' : r.status}${r.error ? ': ' + r.error : ''}".toString())
                continue
            }
            for (Map p : (List<Map>) value.proxies) {
                if (p.ok != true) {
                    problems.add("${r.region} ${p.name} unreachable (${p.error})".toString())
                }
            }
            for (Map s : (List<Map>) value.servers) {
                if (s.down == true) {
                    problems.add("${r.region} ${s.proxy} ${s.backend}/${s.server} ${s.status}".toString())
                }
            }
        }
        List<String> counts = []
        if (t.down > 0) {
            counts.add("${t.down} ${t.down == 1 ? 'server' : 'servers'} DOWN".toString())
        }
        if (t.unreachable > 0) {
            counts.add("${t.unreachable} ${t.unreachable == 1 ? 'proxy' : 'proxies'} unreachable".toString())
        }
        if (t.failedRegions > 0) {
            counts.add("${t.failedRegions} ${t.failedRegions == 1 ? 'region' : 'regions'} not read".toString())
        }
        return "haproxyMonitor: ${environment} is not healthy: ${counts.join(', ')}: ${listed(problems, '; ')}".toString()
    }
}
