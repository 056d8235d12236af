package io.infrasteps.library

import com.cloudbees.groovy.cps.NonCPS

/**
 * Turns what the plugin's steps return into plain Lists and Maps of Strings, numbers and booleans,
 * so the library's vars keep (and return) only values any Pipeline can save and read, and remote
 * text (reasons, messages) is one printable line before it reaches a log.
 *
 * Getters used, per step (the plugin's results must keep them, whitelisted):
 * <ul>
 * <li>validateShard: {@code getShards()}, each {@code getShard()}, {@code isPassed()}, {@code getChecks()},
 *     each check {@code getName()}, {@code isOk()}, {@code getReason()}; {@code isAllPassed()},
 *     {@code getFailedShards()} (shard names);</li>
 * <li>waitHealthyShards: {@code getShards()}, each a shard name (a String) or an object with
 *     {@code getShard()};</li>
 * <li>setHaproxy: {@code isOk()}, {@code getOutcomes()} (maps: operation, proxy, region, result,
 *     message), {@code getFailedCount()};</li>
 * <li>haproxyStatus: {@code getProxies()} (maps: name, region, ok, error) and {@code getServers()} (maps:
 *     proxy, region, backend, server, state, operational, status, check, backup).</li>
 * </ul>
 * Pure and {@code @NonCPS}: no step is called.
 */
class StepResults implements Serializable {

    private static final long serialVersionUID = 1L

    /** Most characters of a check or proxy name kept. */
    static final int NAME_CHARS = 40

    /** The shard names of a waitHealthyShards result (its getShards()), in order, without repeats. */
    @NonCPS
    static List<String> shardNames(Object result) {
        List<String> names = []
        if (result == null) {
            return names
        }
        Object shards = result.getShards()
        if (shards == null) {
            return names
        }
        for (Object s : (Collection) shards) {
            String name = shardName(s)
            if (name != null && !names.contains(name)) {
                names.add(name)
            }
        }
        return names
    }

    /** A shard's name: a String, a Map with a shard key, or an object with getShard(). */
    @NonCPS
    static String shardName(Object shard) {
        if (shard == null) {
            return null
        }
        if (shard instanceof CharSequence) {
            return shard.toString()
        }
        Object name = shard instanceof Map ? ((Map) shard).get('shard') : shard.getShard()
        return name == null ? null : name.toString()
    }

    /**
     * A validateShard result as [allPassed, reports, failed]: reports one Map per shard
     * [shard, passed, checks: [[name, ok, reason]]], in the order returned, plus a failed report
     * for each requested shard the result does not mention; failed the names of the shards that did
     * not pass (the step's getFailedShards() and any report that did not pass).
     */
    @NonCPS
    static Map<String, Object> validation(Object result, List<String> requested) {
        List<Map> reports = []
        List<String> failed = []
        boolean allPassed = result != null
        if (result != null) {
            Object shards = result.getShards()
            for (Object s : (shards == null ? [] : (Collection) shards)) {
                reports.add(report(s))
            }
            allPassed = result.isAllPassed() == true
            Object failedShards = result.getFailedShards()
            for (Object name : (failedShards == null ? [] : (Collection) failedShards)) {
                if (name != null && !failed.contains(name.toString())) {
                    failed.add(name.toString())
                }
            }
        }
        List<String> seen = []
        for (Map r : reports) {
            seen.add((String) r.shard)
        }
        for (String shard : requested) {
            if (!seen.contains(shard)) {
                reports.add([shard: shard, passed: false,
                             checks: [[name: 'result', ok: false, reason: 'validateShard returned no result for this shard']]])
            }
        }
        for (Map r : reports) {
            if (r.passed != true && !failed.contains((String) r.shard)) {
                failed.add((String) r.shard)
            }
        }
        Map<String, Object> out = [:]
        out.allPassed = allPassed && failed.isEmpty()
        out.reports = reports
        out.failed = failed
        return out
    }

    /** A remote name (check, proxy, region, result) as one short printable line. */
    @NonCPS
    static String name(Object text) {
        String s = Checks.oneLine(text)
        return s.length() > NAME_CHARS ? s.substring(0, NAME_CHARS) + '...' : s
    }

    @NonCPS
    private static Map report(Object shard) {
        List<Map> checks = []
        Object list = shard.getChecks()
        for (Object c : (list == null ? [] : (Collection) list)) {
            checks.add([name: name(c.getName()), ok: c.isOk() == true,
                        reason: Checks.oneLine(c.getReason())])
        }
        return [shard: Checks.oneLine(shardName(shard)), passed: shard.isPassed() == true, checks: checks]
    }

    /**
     * A setHaproxy result as [ok, failedCount, outcomes]: outcomes one Map per proxy and operation
     * [operation, proxy, region, result, message]. A null result (no outcomes reported) is ok.
     */
    @NonCPS
    static Map<String, Object> haproxyChange(Object result) {
        List<Map> outcomes = []
        Map<String, Object> out = [:]
        if (result == null) {
            out.ok = true
            out.failedCount = 0
            out.outcomes = outcomes
            return out
        }
        Object list = result.getOutcomes()
        for (Object o : (list == null ? [] : (Collection) list)) {
            Map m = (Map) o
            outcomes.add([operation: Checks.oneLine(m.operation), proxy: name(m.proxy),
                          region: name(m.region), result: name(m.result),
                          message: Checks.oneLine(m.message)])
        }
        out.ok = result.isOk() == true
        out.failedCount = result.getFailedCount()
        out.outcomes = outcomes
        return out
    }

    /**
     * A haproxyStatus result as [ok, proxies, servers]: proxies one Map per proxy [name, region, ok,
     * error]; servers one Map per server row [proxy, region, backend, server, state, operational,
     * status, check, backup, down]. ok is true when every proxy answered.
     */
    @NonCPS
    static Map<String, Object> haproxyStatus(Object result) {
        List<Map> proxies = []
        List<Map> servers = []
        Object proxyList = result.getProxies()
        for (Object o : (proxyList == null ? [] : (Collection) proxyList)) {
            Map m = (Map) o
            boolean ok = m.ok == true
            proxies.add([name: name(m.name), region: name(m.region), ok: ok, error: ok ? null : Checks.oneLine(m.error ?: 'no reason given')])
        }
        Object serverList = result.getServers()
        for (Object o : (serverList == null ? [] : (Collection) serverList)) {
            Map m = (Map) o
            Map row = [proxy: name(m.proxy), region: name(m.region), backend: Checks.oneLine(m.backend),
                       server: Checks.oneLine(m.server), state: name(m.state), operational: name(m.operational),
                       status: name(m.status), check: name(m.check), backup: m.backup == true]
            row.down = isDown(row)
            servers.add(row)
        }
        boolean ok = true
        for (Map p : proxies) {
            if (p.ok != true) {
                ok = false
            }
        }
        Map<String, Object> out = [:]
        out.ok = ok
        out.proxies = proxies
        out.servers = servers
        return out
    }

    /**
     * A server is DOWN when HAProxy's status says so (DOWN, DOWN 1/2, ...), or, without a status, when
     * it is not running and not in maintenance (maint is a state people chose).
     */
    @NonCPS
    static boolean isDown(Map server) {
        String status = server.status
        if (status != null && status.startsWith('DOWN')) {
            return true
        }
        boolean noStatus = status == null || status == '' || status == '-'
        return noStatus && server.operational == 'stopped' && server.state != 'maint'
    }
}
