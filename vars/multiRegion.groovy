import io.infrasteps.library.Checks
import io.infrasteps.library.Summaries

/*
 * multiRegion: run a body once per region, in parallel branches named by region (see multiRegion.txt).
 *
 *     Map outcome = multiRegion(['us-ashburn-1', 'eu-frankfurt-1'], [maxParallel: 2]) { String region ->
 *         return haproxyStatus(site + [regions: [region]])
 *     }
 *
 * Region names are validated before any branch starts. At most maxParallel regions run at once: the
 * regions run in waves of maxParallel branches, in the order given (a wave waits for its slowest
 * region). A failing region does not stop the others unless failFast: true (then the wave's other
 * branches are stopped and later waves do not start). A summary of every region is printed at the
 * end; the build then fails naming each failed region, unless tolerateFailures: true.
 *
 * Each branch records its region's outcome in a shared map (branches of one build run on one CPS
 * thread, so no two touch it at once). Branch closures are made by regionBranch, outside any loop,
 * so each captures its own region.
 */

/** multiRegion(regions) { region -> ... } */
Map call(Object regions, Closure body) {
    return run(regions, [:], body)
}

/** multiRegion(regions, [failFast:, maxParallel:, tolerateFailures:, title:]) { region -> ... }, or with named arguments first. */
Map call(Object first, Object second, Closure body) {
    if (first instanceof Map && !(second instanceof Map)) {
        return run(second, (Map) first, body)
    }
    if (!(second instanceof Map)) {
        error("multiRegion: options must be a map, e.g. [maxParallel: 2, failFast: false]; got a value of type ${second == null ? 'nothing' : second.getClass().getSimpleName()}".toString())
    }
    return run(first, (Map) second, body)
}

/**
 * Validates, runs the waves, prints the summary. Returns [ok, failed, results]: results one Map per
 * region in the order given [region, status: ok|failed|aborted|not run, value (what the body
 * returned), error]; failed the names of the regions that did not succeed.
 */
Map run(Object regions, Map options, Closure body) {
    Map request = Checks.multiRegionRequest(regions, options)
    List problems = request.problems
    if (problems) {
        error(problems.join('\n'))
    }
    if (body == null) {
        error('multiRegion: a body is required: multiRegion(regions) { region -> ... }')
    }
    List<String> names = request.regions
    int maxParallel = request.maxParallel
    boolean failFast = request.failFast
    String title = request.title

    Map results = [:]
    for (int i = 0; i < names.size(); i++) {
        results.put(names[i], [region: names[i], status: 'not run', value: null, error: null])
    }
    boolean stopped = false
    for (int start = 0; start < names.size() && !stopped; start += maxParallel) {
        int end = start + maxParallel
        if (end > names.size()) {
            end = names.size()
        }
        Map branches = [:]
        for (int j = start; j < end; j++) {
            String region = names[j]
            branches.put(region, regionBranch(region, body, results, failFast))
        }
        if (failFast) {
            branches.put('failFast', true)
        }
        try {
            parallel(branches)
        } catch (InterruptedException e) {
            // The build was aborted: say what ran, then stop.
            explainStopped(names, results, 'the build was aborted')
            echo(Summaries.multiRegion(title, resultList(names, results), maxParallel, failFast))
            throw e
        } catch (Exception e) {
            // With failFast a failed branch rethrows so parallel stops the others; its outcome is
            // recorded. Without failFast the branches catch every failure: anything else is unexpected.
            if (!failFast || Summaries.regionsWith(resultList(names, results), ['failed']).isEmpty()) {
                throw e
            }
        }
        if (failFast && !Summaries.regionsWith(resultList(names, results), ['failed', 'aborted']).isEmpty()) {
            explainStopped(names, results, 'another region failed (failFast)')
            stopped = true
        }
    }

    List<Map> list = resultList(names, results)
    echo(Summaries.multiRegion(title, list, maxParallel, failFast))
    List<String> failed = Summaries.regionsWith(list, ['failed', 'aborted', 'not run'])
    if (!failed.isEmpty() && !request.tolerateFailures) {
        error(Summaries.multiRegionFailure(title, list))
    }
    return [ok: failed.isEmpty(), failed: failed, results: list]
}

/** The closure of one region's branch: its own region, never a loop variable. */
Closure regionBranch(String region, Closure body, Map results, boolean failFast) {
    return { runRegion(region, body, results, failFast) }
}

/**
 * Runs the body for one region and records the outcome. A failure is recorded and, with failFast,
 * rethrown (so parallel stops the other branches); an interruption (an abort, or failFast stopping
 * this branch) is recorded and always rethrown.
 */
void runRegion(String region, Closure body, Map results, boolean failFast) {
    Map outcome = results.get(region)
    try {
        def value = body.call(region)
        outcome.value = value
        outcome.status = 'ok'
    } catch (InterruptedException e) {
        outcome.status = 'aborted'
        outcome.error = Checks.oneLine(e.getMessage() ?: 'interrupted')
        throw e
    } catch (Exception e) {
        outcome.status = 'failed'
        outcome.error = Checks.oneLine(e.getMessage() ?: e.getClass().getSimpleName())
        if (failFast) {
            throw e
        }
    }
}

/** Gives regions stopped or never started the reason why. */
void explainStopped(List<String> names, Map results, String reason) {
    for (int i = 0; i < names.size(); i++) {
        Map outcome = results.get(names[i])
        if (outcome.status == 'not run') {
            outcome.error = "not started: ${reason}".toString()
        } else if (outcome.status == 'aborted') {
            outcome.error = "stopped: ${reason}".toString()
        }
    }
}

/** The results in region order, as a List. */
List<Map> resultList(List<String> names, Map results) {
    List<Map> list = []
    for (int i = 0; i < names.size(); i++) {
        list.add(results.get(names[i]))
    }
    return list
}
