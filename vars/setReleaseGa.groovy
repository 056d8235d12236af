import io.infrasteps.library.Checks
import io.infrasteps.library.Summaries

/*
 * setReleaseGa: make a release generally available (live) in one environment (see setReleaseGa.txt).
 *
 *     Map request = setReleaseGa.fromParameters(params)     // validates job parameters
 *     Map site = infraSite(request.environment)             // the library's site: no node needed
 *     setReleaseGa(site, environment: request.environment, release: request.release, force: request.force)
 *
 * It takes the Jenkins lock haproxy-state-<environment> (the lock every HAProxy state change of the
 * library takes, so GA never interleaves with shard state changes of other builds) and calls
 * setHaproxy(liveRelease: N), which refuses unless every shard of the release is healthy (or force),
 * takes the Consul environment lock itself, writes releases/<env>/live = release-<N> in every
 * datacenter and swaps the live map on every proxy.
 */

/** The arguments of setReleaseGa(...). */
List<String> keys() {
    return ['site', 'environment', 'release', 'force']
}

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
    Map labels = [environment: 'ENVIRONMENT', release: 'RELEASE_NUMBER', force: 'FORCE']
    return infraArguments.checked('setReleaseGa', 'invalid build parameters', Checks.gaRequest(labels, Checks.parameterValues(params, labels)))
}

/** setReleaseGa(site, environment: 'x', release: N, force: false): named arguments come first in Groovy. */
Map call(Map options, Map site) {
    return call(infraArguments.withSite('setReleaseGa', options, site))
}

/**
 * setReleaseGa(site: infraSite(...), environment: 'x', release: N, force: false)
 * Returns [environment, release, lock, ok, outcomes: [[operation, proxy, region, result, message]]].
 */
Map call(Map options) {
    infraArguments.failOn(Checks.argumentsProblem('setReleaseGa', options, keys(), true, true))
    Map request = infraArguments.checked('setReleaseGa', 'invalid arguments', Checks.gaRequest(Checks.labels('setReleaseGa', keys()), options))
    String environment = request.environment
    int release = request.release

    // TODO(issue 6): protected sites ask for an approval before this point.
    String announcement = "Making release ${release} GA in ${environment}${request.force ? ' (force: shard health is not required)' : ''}"
    Map change = haproxyChange.setUnderLock(environment, announcement.toString(), (Map) options.site,
            [liveRelease: release, force: request.force])
    echo(Summaries.releaseGa(environment, release, lockName(environment), change))
    if (change.ok != true) {
        error(Summaries.releaseGaFailure(environment, release, change))
    }
    return [environment: environment, release: release, lock: lockName(environment), ok: true, outcomes: change.outcomes]
}
