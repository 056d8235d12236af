import io.infrasteps.library.Checks
import io.infrasteps.library.StepResults
import io.infrasteps.library.Summaries

/*
 * shardValidation: validate shards of one environment with the validateShard step, naming them or
 * a whole release (see shardValidation.txt).
 *
 *     Map request = shardValidation.fromParameters(params)  // validates job parameters
 *     Map site = infraSite(request.environment)             // the library's site: no node needed
 *     shardValidation.validate(site, environment: request.environment, shards: request.shards,
 *                              release: request.release, waitMinutes: request.waitMinutes)
 *
 * With a release, waits first (waitHealthyShards, up to waitMinutes) until every shard of the
 * release is healthy in Consul, then validates the shards that step returns. Validation runs with
 * tolerateFailures: true so every shard is reported in one table; the build then fails naming each
 * shard that did not pass. Outside node (a library or configured site) the wait holds no executor;
 * with a site file (infraSite(file: ...)) call it inside the node whose workspace holds the file.
 */

/** The arguments of validate. */
List<String> keys() {
    return ['site', 'environment', 'shards', 'release', 'waitMinutes']
}

/**
 * Reads and validates the job parameters ENVIRONMENT, SHARDS (shard names separated by spaces or
 * commas), RELEASE_NUMBER (instead of SHARDS: validate every shard of that release) and
 * WAIT_MINUTES (optional, default 20). Fails the build, naming the parameter, on any invalid value.
 * Returns [environment, shards, release, waitMinutes].
 */
Map fromParameters(Map params) {
    Map labels = [environment: 'ENVIRONMENT', shards: 'SHARDS', release: 'RELEASE_NUMBER', waitMinutes: 'WAIT_MINUTES']
    return infraArguments.checked('shardValidation', 'invalid build parameters',
            Checks.validationRequest(labels, Checks.parameterValues(params, labels)))
}

/** validate(site, environment: 'x', shards: [...] or release: N, waitMinutes: 20): named arguments come first in Groovy. */
Map validate(Map options, Map site) {
    return validate(infraArguments.withSite('shardValidation.validate', options, site))
}

/**
 * validate(site: infraSite(...), environment: 'x', shards: [...] | release: N, waitMinutes: 20)
 * Returns [environment, release, shards, reports: [[shard, passed, checks: [[name, ok, reason]]]]].
 */
Map validate(Map options) {
    infraArguments.failOn(Checks.argumentsProblem('shardValidation.validate', options, keys(), true, false))
    Map request = infraArguments.checked('shardValidation', 'invalid arguments',
            Checks.validationRequest(Checks.labels('shardValidation.validate', keys()), options))
    Map site = options.site
    String environment = request.environment
    Integer release = request.release

    List<String> shards = request.shards
    if (release != null) {
        shards = waitForRelease(site, environment, release, request.waitMinutes)
    }

    Map args = [:]
    args.putAll(site)
    args.shards = shards
    // Every shard is reported in the table below; the build fails after it, naming the failed ones.
    args.tolerateFailures = true
    def result = validateShard(args)
    Map outcome = StepResults.validation(result, shards)
    List<Map> reports = outcome.reports
    echo(Summaries.shardValidation(environment, release, reports))
    if (outcome.allPassed != true) {
        error(Summaries.shardValidationFailure(environment, reports, outcome.failed))
    }
    return [environment: environment, release: release, shards: shards, reports: reports]
}

/**
 * Waits until every shard of the release is healthy in Consul (the step fails the build on timeout,
 * naming each unhealthy shard and why) and returns the release's shard names, checked like names
 * given by hand before they reach another step or the log.
 */
List<String> waitForRelease(Map site, String environment, int release, int waitMinutes) {
    echo("Waiting up to ${waitMinutes} minutes for every shard of release ${release} in ${environment} to be healthy in Consul".toString())
    Map args = [:]
    args.putAll(site)
    args.release = release
    args.timeoutMinutes = waitMinutes
    def waited = waitHealthyShards(args)
    List<String> names = StepResults.shardNames(waited)
    List<String> problems = []
    List<String> shards = Checks.shardList("waitHealthyShards: shards of release ${release}".toString(), names, environment,
            'environment', problems)
    if (problems) {
        error("shardValidation: ${problems[0]}".toString())
    }
    if (shards.isEmpty()) {
        error("shardValidation: release ${release} has no shards in ${environment}: waitHealthyShards returned none".toString())
    }
    echo("Release ${release} in ${environment}: ${shards.size()} healthy ${shards.size() == 1 ? 'shard' : 'shards'}: ${shards.join(', ')}".toString())
    return shards
}
