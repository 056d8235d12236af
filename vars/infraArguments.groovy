import io.infrasteps.library.Checks

/*
 * infraArguments: what every var of the library does with its arguments, in one place (see
 * infraArguments.txt). The checks themselves are pure @NonCPS helpers in Checks; this var turns their
 * problems into a failed build with the error step, so the vars stay short:
 *
 *     Map apply(Map options, Map site) {                     // apply(site, environment: 'x', ...)
 *         return apply(infraArguments.withSite('shardStates.apply', options, site))
 *     }
 *     Map apply(Map options) {
 *         infraArguments.failOn(Checks.argumentsProblem('shardStates.apply', options, KEYS, false, false))
 *         Map request = infraArguments.checked('shardStates', 'invalid arguments',
 *                 Checks.shardRequest(Checks.labels('shardStates.apply', KEYS), options))
 *         ...
 *     }
 */

/** Fails the build with {@code problem} (a message naming the argument and what is allowed), unless it is null. */
void failOn(String problem) {
    if (problem) {
        error(problem)
    }
}

/**
 * The named arguments of a call written name(site, a: x, ...) (Groovy passes the named arguments first),
 * with the site added as site:. Fails the build when site: is given as well.
 */
Map withSite(String where, Map options, Map site) {
    Map merged = Checks.withSite(where, options, site)
    failOn((String) merged.problem)
    return (Map) merged.options
}

/**
 * A request checked by one of Checks' *Request methods: fails the build with one line per problem
 * ("<name>: <what>:" first), otherwise returns the request without its problems entry.
 */
Map checked(String name, String what, Map request) {
    failOn(Checks.requestProblem(name, what, request))
    return Checks.withoutProblems(request)
}
