import io.infrasteps.library.Checks
import io.infrasteps.library.Summaries

/*
 * shardStates: mark shards ready or drain on every HAProxy of one environment (see shardStates.txt).
 *
 *     Map request = shardStates.fromParameters(params)      // validates job parameters
 *     Map site = infraSite(request.environment)             // the library's site: no node needed
 *     shardStates.apply(site, environment: request.environment,
 *                       ready: request.ready, drain: request.drain, force: request.force)
 *
 * apply takes the lock haproxy-state-<environment> (the lock every HAProxy state change takes),
 * readies shards first and drains after, so a backend is never left without ready shards by this
 * build; tries every shard and fails the build naming each shard that failed. With a site file
 * (infraSite(file: ...)) call it inside the node whose workspace holds the file.
 */

/** The arguments of apply. */
List<String> keys() {
    return ['site', 'environment', 'ready', 'drain', 'force']
}

/** Name of the lock serializing HAProxy state changes of an environment. */
String lockName(String environment) {
    return "haproxy-state-${environment}".toString()
}

/**
 * Reads and validates the job parameters ENVIRONMENT, SHARDS_READY, SHARDS_DRAIN (shard names
 * separated by spaces or commas) and FORCE (optional). Fails the build, naming the parameter,
 * on any invalid value. Returns [environment, ready, drain, force].
 */
Map fromParameters(Map params) {
    Map labels = [environment: 'ENVIRONMENT', ready: 'SHARDS_READY', drain: 'SHARDS_DRAIN', force: 'FORCE']
    return infraArguments.checked('shardStates', 'invalid build parameters',
            Checks.shardRequest(labels, Checks.parameterValues(params, labels)))
}

/** apply(site, environment: 'x', ready: [...], drain: [...], force: false): named arguments come first in Groovy. */
Map apply(Map options, Map site) {
    return apply(infraArguments.withSite('shardStates.apply', options, site))
}

/**
 * apply(site: infraSite(...), environment: 'x', ready: [...], drain: [...], force: false)
 * ready and drain are lists of shard names or strings of names separated by spaces or commas.
 * Returns [environment, lock, changes: [[shard, state, outcome: ok|failed|skipped, proxies, error]]].
 */
Map apply(Map options) {
    infraArguments.failOn(Checks.argumentsProblem('shardStates.apply', options, keys(), false, false))
    Map request = infraArguments.checked('shardStates', 'invalid arguments',
            Checks.shardRequest(Checks.labels('shardStates.apply', keys()), options))
    Map site = options.site

    String resource = lockName(request.environment)
    List changes = []
    lock(resource) {
        changes = changeAll(site, request)
    }
    echo(Summaries.shardStates(request.environment, resource, changes))
    if (Summaries.countNotOk(changes) > 0) {
        error(Summaries.shardStatesFailure(request.environment, changes))
    }
    return [environment: request.environment, lock: resource, changes: changes]
}

/**
 * Readies, then drains. A failed ready does not stop the other readies, but the drains are then
 * skipped: draining while a shard meant to take over is not ready could leave backends without
 * a ready server. A failed drain does not stop the other drains.
 */
List changeAll(Map site, Map request) {
    // Index loops: a for-in iterator is not serializable in every groovy-cps version.
    List changes = []
    List ready = request.ready
    List drain = request.drain
    boolean readyFailed = false
    for (int i = 0; i < ready.size(); i++) {
        String shard = ready[i]
        Map c = changeOne(site, shard, 'ready', request.force)
        changes.add(c)
        if (c.outcome != 'ok') {
            readyFailed = true
        }
    }
    for (int i = 0; i < drain.size(); i++) {
        String shard = drain[i]
        if (readyFailed) {
            changes.add([shard: shard, state: 'drain', outcome: 'skipped', proxies: null,
                         error: 'a ready change failed; draining could leave backends without a ready shard'])
        } else {
            changes.add(changeOne(site, shard, 'drain', request.force))
        }
    }
    return changes
}

/** One setHaproxy call; its failure is recorded, never thrown, except an abort of the build. */
Map changeOne(Map site, String shard, String state, boolean force) {
    Map args = [:]
    args.putAll(site)
    args.shard = shard
    args.state = state
    args.force = force
    try {
        def result = setHaproxy(args)
        // With tolerateFailures (not used here) the step returns failures instead of failing.
        if (result != null && !result.isOk()) {
            return [shard: shard, state: state, outcome: 'failed', proxies: result.getOutcomes().size(),
                    error: "${result.getFailedCount()} of ${result.getOutcomes().size()} proxies did not accept the change".toString()]
        }
        return [shard: shard, state: state, outcome: 'ok', proxies: result == null ? null : result.getOutcomes().size(), error: null]
    } catch (InterruptedException e) {
        throw e
    } catch (Exception e) {
        return [shard: shard, state: state, outcome: 'failed', proxies: null,
                error: Checks.oneLine(e.getMessage() ?: e.getClass().getSimpleName())]
    }
}
