import io.infrasteps.library.Checks
import io.infrasteps.library.StepResults
import io.infrasteps.library.Summaries

/*
 * releaseGa: make a release generally available (live) in one environment (see releaseGa.txt).
 *
 *     Map request = releaseGa.fromParameters(params)        // validates job parameters
 *     node {
 *         Map site = infraSite(request.environment)
 *         releaseGa.set(site, environment: request.environment, release: request.release, force: request.force)
 *     }
 *
 * set takes the Jenkins lock haproxy-state-<environment> (the lock every HAProxy state change of
 * the library takes, so GA never interleaves with shard state changes of other builds) and calls
 * setHaproxy(liveRelease: N), which refuses unless every shard of the release is healthy (or force),
 * takes the Consul environment lock itself, writes releases/<env>/live = release-<N> in every
 * datacenter and swaps the live map on every proxy.
 */

/** Name of the Jenkins lock serializing HAProxy state changes of an environment (shared with shardStates). */
String lockName(String environment) {
    return shardStates.lockName(environment)
}

/**
 * Reads and validates the job parameters ENVIRONMENT, RELEASE_NUMBER (a positive whole number) and
 * FORCE (optional boolean). Fails the build, naming the parameter, on any invalid value.
 * Returns [environment, release, force].
 */
Map fromParameters(Map params) {
    Map values = [:]
    if (params != null) {
        values.environment = params.ENVIRONMENT
        values.release = params.RELEASE_NUMBER
        values.force = params.FORCE
    }
    Map labels = [environment: 'ENVIRONMENT', release: 'RELEASE_NUMBER', force: 'FORCE']
    return checked(Checks.gaRequest(labels, values), 'invalid build parameters')
}

/** set(site, environment: 'x', release: N, force: false): named arguments come first in Groovy. */
Map set(Map options, Map site) {
    if (options.containsKey('site')) {
        error("releaseGa.set: give the site either as the first argument or as site:, not both")
    }
    Map all = [:]
    all.putAll(options)
    all.site = site
    return set(all)
}

/**
 * set(site: infraSite(...), environment: 'x', release: N, force: false)
 * Returns [environment, release, lock, ok, outcomes: [[operation, proxy, region, result, message]]].
 */
Map set(Map options) {
    String unknown = Checks.unknownKeys('releaseGa.set', options, ['site', 'environment', 'release', 'force'])
    if (unknown) {
        error(unknown)
    }
    String siteProblem = Checks.consulSiteProblem('releaseGa.set: site', options.site, true)
    if (siteProblem) {
        error(siteProblem)
    }
    Map labels = [environment: 'releaseGa.set: environment', release: 'releaseGa.set: release', force: 'releaseGa.set: force']
    Map request = checked(Checks.gaRequest(labels, options), 'invalid arguments')
    Map site = options.site
    String environment = request.environment
    int release = request.release

    Map args = [:]
    args.putAll(site)
    args.liveRelease = release
    args.force = request.force
    String resource = lockName(environment)
    Map change = null
    // TODO(issue 6): protected sites ask for an approval before this point.
    lock(resource) {
        echo("Making release ${release} GA in ${environment}${request.force ? ' (force: shard health is not required)' : ''}".toString())
        def result = setHaproxy(args)
        change = StepResults.haproxyChange(result)
    }
    echo(Summaries.releaseGa(environment, release, resource, change))
    if (change.ok != true) {
        error(Summaries.releaseGaFailure(environment, release, change))
    }
    return [environment: environment, release: release, lock: resource, ok: true, outcomes: change.outcomes]
}

/** Fails the build on problems, otherwise returns the request without its problems entry. */
Map checked(Map request, String what) {
    List problems = request.problems
    if (problems) {
        error("releaseGa: ${what}:\n  " + problems.join('\n  '))
    }
    return [environment: request.environment, release: request.release, force: request.force]
}
