import io.infrasteps.library.Checks
import io.infrasteps.library.StepResults
import io.infrasteps.library.Summaries

/*
 * haproxyMonitor: read every HAProxy of an environment, region by region in parallel, print one table
 * and fail if any proxy is unreachable or any server is DOWN (see haproxyMonitor.txt).
 *
 *     Map request = haproxyMonitor.fromParameters(params)   // validates job parameters
 *     List<String> regions = infraSite.regionsOf(request.environment, request.regions, 'REGIONS')
 *     Map site = infraSite(request.environment)             // the library's site: no node needed
 *     haproxyMonitor.check(site, environment: request.environment, regions: regions)
 *
 * check takes the lock haproxy-state-<environment> (as today's monitoring job does, so it never reads
 * a change half made by another build) and runs haproxyStatus once per region through multiRegion,
 * with tolerateFailures: true so every proxy is reported before the build fails.
 */

/** The arguments of check. */
List<String> keys() {
    return ['site', 'environment', 'regions', 'maxParallel']
}

/** Name of the lock serializing HAProxy state changes (and monitoring) of an environment. */
String lockName(String environment) {
    return shardStates.lockName(environment)
}

/**
 * Reads and validates the job parameters ENVIRONMENT and REGIONS ('all', empty, or region names
 * separated by spaces or commas). Fails the build, naming the parameter, on any invalid value.
 * Returns [environment, regions]: an empty regions list means every region of the site.
 */
Map fromParameters(Map params) {
    Map values = Checks.parameterValues(params, [environment: 'ENVIRONMENT', regions: 'REGIONS'])
    List<String> problems = []
    String environment = Checks.checkedName('ENVIRONMENT', values.environment, problems)
    List<String> regions = Checks.regionSelection('REGIONS', values.regions, problems)
    return infraArguments.checked('haproxyMonitor', 'invalid build parameters',
            [environment: environment, regions: regions, problems: problems])
}

/** check(site, environment: 'x', regions: [...], maxParallel: n): named arguments come first in Groovy. */
Map check(Map options, Map site) {
    return check(infraArguments.withSite('haproxyMonitor.check', options, site))
}

/**
 * check(site: infraSite(...), environment: 'x', regions: ['r1', ...], maxParallel: n)
 * site is the whole site (check restricts each haproxyStatus call to one region); regions are the
 * regions to read (infraSite.regionsOf); maxParallel bounds the regions read at once (default all).
 * Returns [environment, lock, ok, regions: multiRegion's results, each value [ok, proxies, servers]].
 */
Map check(Map options) {
    infraArguments.failOn(Checks.argumentsProblem('haproxyMonitor.check', options, keys(), false, false))
    Map site = options.site
    if (site.containsKey('regions') || site.containsKey('proxies')) {
        error("haproxyMonitor.check: site must be a whole site (infraSite('<name>')), not restricted to regions or bare proxies: give the regions to read as regions:")
    }
    infraArguments.failOn(Checks.nameProblem('haproxyMonitor.check: environment', options.environment))
    String environment = options.environment
    Map fanOut = [tolerateFailures: true, title: "HAProxy status in ${environment}".toString()]
    if (options.containsKey('maxParallel')) {
        fanOut.maxParallel = options.maxParallel
    }
    // multiRegion validates the regions (names, at least one) before anything runs.
    Map request = Checks.multiRegionRequest(options.regions, fanOut)
    List problems = request.problems
    if (problems) {
        error(problems.join('\n').replace('multiRegion: ', 'haproxyMonitor.check: '))
    }

    String resource = lockName(environment)
    Map outcome = null
    lock(resource) {
        outcome = multiRegion(options.regions, fanOut) { String region ->
            return readRegion(site, region)
        }
    }
    List<Map> results = outcome.results
    echo(Summaries.haproxyMonitor(environment, resource, results))
    String failure = Summaries.haproxyMonitorFailure(environment, results)
    if (failure) {
        error(failure)
    }
    return [environment: environment, lock: resource, ok: true, regions: results]
}

/** haproxyStatus for one region, as plain maps; unreachable proxies are reported, not thrown. */
Map readRegion(Map site, String region) {
    Map args = [:]
    args.putAll(site)
    args.regions = [region]
    args.tolerateFailures = true
    def status = haproxyStatus(args)
    if (status == null) {
        error("haproxyStatus returned no result for region ${region}".toString())
    }
    return StepResults.haproxyStatus(status)
}
