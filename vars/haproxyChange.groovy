import io.infrasteps.library.Checks
import io.infrasteps.library.StepResults
import io.infrasteps.library.Summaries

/*
 * haproxyChange: change one HAProxy server (state and/or weight of backend/server) or whole proxies
 * (health up/down) on every proxy of an environment, or of some of its regions (see haproxyChange.txt).
 *
 *     Map request = haproxyChange.fromParameters(params)    // validates job parameters
 *     List<String> regions = infraSite.regionsOf(request.environment, request.regions, 'REGIONS')
 *     node {
 *         Map site = infraSite(name: request.environment, regions: regions)
 *         haproxyChange.apply(site, environment: request.environment, backend: request.backend,
 *                             server: request.server, state: request.state, weight: request.weight,
 *                             health: request.health, force: request.force)
 *     }
 *
 * apply takes the lock haproxy-state-<environment> (the lock every HAProxy state change of the
 * library takes) and makes one setHaproxy call: the step reads every proxy first, refuses anything
 * that would leave a shared backend without a ready server (unless force), changes what differs and
 * reads it back. The build fails naming each proxy that failed.
 */

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
    Map values = [:]
    if (params != null) {
        values.environment = params.ENVIRONMENT
        values.backend = params.BACKEND
        values.server = params.SERVER
        values.state = params.STATE
        values.weight = params.WEIGHT
        values.health = params.HEALTH
        values.force = params.FORCE
        values.regions = params.REGIONS
    }
    Map labels = [environment: 'ENVIRONMENT', backend: 'BACKEND', server: 'SERVER', state: 'STATE', weight: 'WEIGHT',
                  health: 'HEALTH', force: 'FORCE']
    Map request = Checks.haproxyChangeRequest(labels, values)
    List<String> regions = Checks.regionSelection('REGIONS', values.regions, request.problems)
    Map out = checked(request, 'invalid build parameters')
    out.regions = regions
    return out
}

/** apply(site, environment: 'x', backend:, server:, state:, weight:, health:, force:): named arguments come first in Groovy. */
Map apply(Map options, Map site) {
    if (options.containsKey('site')) {
        error("haproxyChange.apply: give the site either as the first argument or as site:, not both")
    }
    Map all = [:]
    all.putAll(options)
    all.site = site
    return apply(all)
}

/**
 * apply(site: infraSite(...), environment: 'x', backend:, server:, state:, weight:, health:, force: false)
 * Returns [environment, lock, change (what was asked, as text), ok, outcomes: [[operation, proxy,
 * region, result, message]]].
 */
Map apply(Map options) {
    String unknown = Checks.unknownKeys('haproxyChange.apply', options,
            ['site', 'environment', 'backend', 'server', 'state', 'weight', 'health', 'force'])
    if (unknown) {
        error(unknown)
    }
    String siteProblem = Checks.siteProblem('haproxyChange.apply: site', options.site)
    if (siteProblem) {
        error(siteProblem)
    }
    Map labels = [environment: 'haproxyChange.apply: environment', backend: 'haproxyChange.apply: backend',
                  server: 'haproxyChange.apply: server', state: 'haproxyChange.apply: state',
                  weight: 'haproxyChange.apply: weight', health: 'haproxyChange.apply: health',
                  force: 'haproxyChange.apply: force']
    Map request = checked(Checks.haproxyChangeRequest(labels, options), 'invalid arguments')
    Map site = options.site
    String environment = request.environment
    String what = Summaries.haproxyChangeWhat(request)
    List<String> regions = site.regions instanceof List ? (List<String>) site.regions : []

    Map args = [:]
    args.putAll(site)
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
    String resource = lockName(environment)
    Map change = null
    lock(resource) {
        echo("Changing HAProxy in ${environment}: ${what}${regions ? ' in ' + regions.join(', ') : ' in every region'}".toString())
        def result = setHaproxy(args)
        change = StepResults.haproxyChange(result)
    }
    echo(Summaries.haproxyChange(environment, what, regions, resource, change))
    if (change.ok != true) {
        error(Summaries.haproxyChangeFailure(environment, what, change))
    }
    return [environment: environment, lock: resource, change: what, ok: true, outcomes: change.outcomes]
}

/** Fails the build on problems, otherwise returns the request without its problems entry. */
Map checked(Map request, String what) {
    List problems = request.problems
    if (problems) {
        error("haproxyChange: ${what}:\n  " + problems.join('\n  '))
    }
    return [environment: request.environment, backend: request.backend, server: request.server, state: request.state,
            weight: request.weight, health: request.health, force: request.force]
}
