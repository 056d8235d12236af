import io.infrasteps.library.Checks
import io.infrasteps.library.StepResults
import io.infrasteps.library.Summaries

/*
 * haproxyChange: change one HAProxy server (state and/or weight of backend/server) or whole proxies
 * (health up/down) on every proxy of an environment, or of some of its regions (see haproxyChange.txt).
 *
 *     Map request = haproxyChange.fromParameters(params)    // validates job parameters
 *     List<String> regions = infraSite.regionsOf(request.environment, request.regions, 'REGIONS')
 *     Map site = infraSite(name: request.environment, regions: regions)   // no node needed
 *     haproxyChange.apply(site, environment: request.environment, backend: request.backend,
 *                         server: request.server, state: request.state, weight: request.weight,
 *                         health: request.health, force: request.force)
 *
 * apply takes the lock haproxy-state-<environment> (the lock every HAProxy state change of the
 * library takes) and makes one setHaproxy call: the step reads every proxy first, refuses anything
 * that would leave a shared backend without a ready server (unless force), changes what differs and
 * reads it back. The build fails naming each proxy that failed. setUnderLock is that one call, shared
 * with setReleaseGa.
 */

/** The arguments of apply. */
List<String> keys() {
    return ['site', 'environment', 'backend', 'server', 'state', 'weight', 'health', 'force']
}

/** Name of the lock serializing HAProxy state changes of an environment (shared with shardStates). */
String lockName(String environment) {
    return shardStates.lockName(environment)
}

/**
 * Reads and validates the job parameters ENVIRONMENT, BACKEND, SERVER, STATE (unchanged, ready, drain,
 * maint), WEIGHT (0 to 256, empty: unchanged), HEALTH (unchanged, up, down), REGIONS ('all', empty, or
 * region names separated by spaces or commas) and FORCE (optional boolean). Fails the build, naming the
 * parameter, on any invalid value. Returns [environment, backend, server, state, weight, health, force,
 * regions] with null for what stays unchanged and an empty regions list for every region.
 */
Map fromParameters(Map params) {
    Map labels = [environment: 'ENVIRONMENT', backend: 'BACKEND', server: 'SERVER', state: 'STATE', weight: 'WEIGHT',
                  health: 'HEALTH', force: 'FORCE', regions: 'REGIONS']
    Map values = Checks.parameterValues(params, labels)
    Map request = Checks.haproxyChangeRequest(labels, values)
    request.regions = Checks.regionSelection('REGIONS', values.regions, (List) request.problems)
    return infraArguments.checked('haproxyChange', 'invalid build parameters', request)
}

/** apply(site, environment: 'x', backend:, server:, state:, weight:, health:, force:): named arguments come first in Groovy. */
Map apply(Map options, Map site) {
    return apply(infraArguments.withSite('haproxyChange.apply', options, site))
}

/**
 * apply(site: infraSite(...), environment: 'x', backend:, server:, state:, weight:, health:, force: false)
 * Returns [environment, lock, change (what was asked, as text), ok, outcomes: [[operation, proxy,
 * region, result, message]]].
 */
Map apply(Map options) {
    infraArguments.failOn(Checks.argumentsProblem('haproxyChange.apply', options, keys(), false, false))
    Map request = infraArguments.checked('haproxyChange', 'invalid arguments',
            Checks.haproxyChangeRequest(Checks.labels('haproxyChange.apply', keys()), options))
    Map site = options.site
    String environment = request.environment
    String what = Summaries.haproxyChangeWhat(request)
    List<String> regions = site.regions instanceof List ? (List<String>) site.regions : []

    Map args = [:]
    if (request.health != null) {
        args.health = request.health
    } else {
        args.backend = request.backend
        args.server = request.server
        if (request.state != null) {
            args.state = request.state
        }
        if (request.weight != null) {
            args.weight = request.weight
        }
        if (request.force) {
            args.force = true
        }
    }
    String where = regions ? ' in ' + regions.join(', ') : ' in every region'
    Map change = setUnderLock(environment, "Changing HAProxy in ${environment}: ${what}${where}".toString(), site, args)
    echo(Summaries.haproxyChange(environment, what, regions, lockName(environment), change))
    if (change.ok != true) {
        error(Summaries.haproxyChangeFailure(environment, what, change))
    }
    return [environment: environment, lock: lockName(environment), change: what, ok: true, outcomes: change.outcomes]
}

/**
 * One setHaproxy(site + args) call inside the lock haproxy-state-<environment>, after echoing
 * {@code announcement}. Returns its result as plain values [ok, failedCount, outcomes] (StepResults);
 * an error of the step (a refusal, a site that cannot be read) fails the build with the step's message.
 */
Map setUnderLock(String environment, String announcement, Map site, Map args) {
    Map stepArgs = [:]
    stepArgs.putAll(site)
    stepArgs.putAll(args)
    Map change = null
    lock(lockName(environment)) {
        echo(announcement)
        def result = setHaproxy(stepArgs)
        change = StepResults.haproxyChange(result)
    }
    return change
}
