package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.FakeSetHaproxyResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.Serialization
import org.junit.Test

/** jenkinsfiles/reconfigure-shard-states.Jenkinsfile run end to end against recording step mocks, and vars/shardStates.groovy. */
class ReconfigureShardStatesTest extends LibraryTestBase {

    static final String ENV = STAGE
    static final String A1 = 'stage-example-us-ashburn-1-s1'
    static final String A2 = 'stage-example-us-ashburn-1-s2'
    static final String F1 = 'stage-example-eu-frankfurt-1-s1'
    static final String F2 = 'stage-example-eu-frankfurt-1-s2'

    @Test
    void readiesThenDrainsEveryShardInsideTheEnvironmentLock() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS_READY: "${A2}, ${F2}", SHARDS_DRAIN: "${A1} ${F1}", FORCE: false])

        List<Map> sets = calls('setHaproxy')
        assertEquals([[A2, 'ready'], [F2, 'ready'], [A1, 'drain'], [F1, 'drain']],
                sets.collect { [it.args.shard, it.args.state] })
        sets.each { Map call ->
            assertEquals('haproxy-state-stage-example', call.lock)
            assertEquals(STAGE_SITE.siteYaml, call.args.siteYaml)
            assertEquals(false, call.args.force)
            assertEquals(['siteYaml', 'shard', 'state', 'force'] as Set, call.args.keySet())
        }
        assertEquals(1, calls('lock').size())
        assertEquals('haproxy-state-stage-example', calls('lock')[0].args)

        // The site is the library's YAML text, read before the lock; no node, no workspace.
        assertEquals(['stage', 'libraryResource', 'lock'], stepNames().take(3))
        assertNoNode()
        assertTrue(workspace.isEmpty())

        String summary = log.find { it.startsWith('Shard states in stage-example') }
        assertTrue(summary, summary.contains('4 ok, 0 failed, 0 skipped'))
        assertTrue(summary, summary.contains("ready ${A2}: ok on 2 proxies"))
        assertTrue(summary, summary.contains("drain ${F1}: ok on 2 proxies"))
        assertNull(calls('error').find())
        assertJobStatusSuccess()
    }

    @Test
    void passesForceAndAcceptsItAsBooleanOrString() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS_READY: A1, SHARDS_DRAIN: '', FORCE: true])
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS_READY: '', SHARDS_DRAIN: A2, FORCE: 'true'])
        assertEquals([true, true], calls('setHaproxy').collect { it.args.force })
    }

    @Test
    void forceDefaultsToFalseWhenTheJobHasNoForceParameter() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS_DRAIN: A1])
        assertEquals([[A1, 'drain', false]], calls('setHaproxy').collect { [it.args.shard, it.args.state, it.args.force] })
        assertJobStatusSuccess()
    }

    @Test
    void repeatedShardsInOneListAreChangedOnce() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS_READY: "${A1},${A1} ${A2},,", SHARDS_DRAIN: ''])
        assertEquals([A1, A2], calls('setHaproxy').collect { it.args.shard })
    }

    /** setHaproxy fails for one shard with {@code failure} and succeeds on one proxy for the others. */
    void failingFor(String shard, Exception failure) {
        setHaproxyBehaviour = { Map args ->
            if (args.shard == shard) {
                throw failure
            }
            return new FakeSetHaproxyResult(['haproxy-a'], true)
        }
    }

    @Test
    void aFailingDrainStillDrainsTheOtherShardsThenFailsTheBuildNamingIt() {
        failingFor(A1, new IOException("us-ashburn-1 haproxy-a (ssh://haproxy@haproxy-a...): set server ${A1}/${A1} state drain: No such server."))
        String message = runJenkinsfileFailing(
                [ENVIRONMENT: ENV, SHARDS_READY: A2, SHARDS_DRAIN: "${A1} ${F1}", FORCE: false])

        assertEquals([A2, A1, F1], calls('setHaproxy').collect { it.args.shard })
        assertTrue(message, message.contains("1 of 3 shard changes failed in stage-example"))
        assertTrue(message, message.contains("drain ${A1} (us-ashburn-1 haproxy-a"))
        assertTrue(message, message.contains('No such server.'))
        assertFalse(message, message.contains(F1))
        String summary = log.find { it.startsWith('Shard states in stage-example') }
        assertTrue(summary, summary.contains('2 ok, 1 failed, 0 skipped'))
        assertTrue(summary, summary.contains("drain ${A1}: FAILED: us-ashburn-1 haproxy-a"))
        // The summary is printed after the lock is released, the error comes last.
        assertNull(calls('echo').find { it.args.startsWith('Shard states') }.lock)
        assertEquals('error', stepNames().last())
    }

    @Test
    void aFailingReadyStillReadiesTheOthersButSkipsTheDrains() {
        failingFor(A2, new IOException('eu-frankfurt-1 haproxy-a: connection refused'))
        String message = runJenkinsfileFailing(
                [ENVIRONMENT: ENV, SHARDS_READY: "${A2} ${F2}", SHARDS_DRAIN: "${A1} ${F1}"])

        assertEquals([[A2, 'ready'], [F2, 'ready']], calls('setHaproxy').collect { [it.args.shard, it.args.state] })
        assertTrue(message, message.contains("1 of 4 shard changes failed in stage-example: ready ${A2} (eu-frankfurt-1 haproxy-a: connection refused)"))
        assertTrue(message, message.contains("Not attempted because a ready change failed: drain ${A1}, drain ${F1}"))
        String summary = log.find { it.startsWith('Shard states in stage-example') }
        assertTrue(summary, summary.contains('1 ok, 1 failed, 2 skipped'))
    }

    @Test
    void aResultThatIsNotOkCountsAsAFailure() {
        setHaproxyBehaviour = { Map args ->
            new FakeSetHaproxyResult(['haproxy-a', 'haproxy-b'], args.shard != F1)
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS_READY: '', SHARDS_DRAIN: "${A1} ${F1} ${A2}"])
        assertEquals([A1, F1, A2], calls('setHaproxy').collect { it.args.shard })
        assertTrue(message, message.contains("drain ${F1} (2 of 2 proxies did not accept the change)"))
    }

    @Test
    void everyShardFailingIsListed() {
        setHaproxyBehaviour = { Map args -> throw new IllegalStateException("down ${args.shard}") }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS_READY: '', SHARDS_DRAIN: "${A1} ${F1}"])
        assertEquals(2, calls('setHaproxy').size())
        assertTrue(message, message.contains("2 of 2 shard changes failed"))
        assertTrue(message, message.contains("drain ${A1} (down ${A1}); drain ${F1} (down ${F1})"))
    }

    @Test
    void anAbortedBuildStopsAtOnce() {
        setHaproxyBehaviour = aborting()
        assertAbortStopsAtOnce([ENVIRONMENT: ENV, SHARDS_READY: "${A1} ${A2}", SHARDS_DRAIN: F1])
        assertEquals([A1], calls('setHaproxy').collect { it.args.shard })
        assertTrue(log.findAll { it.startsWith('Shard states') }.isEmpty())
    }

    @Test
    void aShardInBothListsFailsBeforeAnythingRuns() {
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS_READY: "${A1} ${A2}", SHARDS_DRAIN: "${F1},${A2}"])
        assertTrue(message, message.contains("SHARDS_READY and SHARDS_DRAIN both name ${A2}"))
        assertNothingRan()
    }

    @Test
    void noShardAtAllFailsBeforeAnythingRuns() {
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS_READY: ' ', SHARDS_DRAIN: ',  ,'])
        assertTrue(message, message.contains('SHARDS_READY and SHARDS_DRAIN are both empty'))
        assertNothingRan()
    }

    @Test
    void everyInvalidParameterIsReportedAtOnce() {
        String message = runJenkinsfileFailing([ENVIRONMENT: 'Stage', SHARDS_READY: 'a;b', SHARDS_DRAIN: '', FORCE: 'maybe'])
        assertTrue(message, message.startsWith('shardStates: invalid build parameters:\n  ENVIRONMENT must be a name'))
        assertTrue(message, message.contains('\n  SHARDS_READY must be shard names'))
        assertTrue(message, message.contains("\n  FORCE must be true or false; got 'maybe'"))
    }

    @Test
    void anEnvironmentWithoutASiteInTheLibraryFailsBeforeTheLock() {
        assertEquals("infraSite: name: the library has no site 'prod-nowhere' (resources/sites/prod-nowhere.yaml): " +
                'No such library resource sites/prod-nowhere.yaml could be found.',
                failingBeforeTheLock([ENVIRONMENT: 'prod-nowhere', SHARDS_DRAIN: 'prod-nowhere-us-ashburn-1-s1']))
    }

    @Test
    void aSiteFileDescribingAnotherEnvironmentFailsBeforeTheLock() {
        assertEquals("infraSite: name: resources/sites/stage-mismatch.yaml describes site 'stage-other', not 'stage-mismatch'; " +
                'its top-level name: must match the file name',
                failingBeforeTheLock([ENVIRONMENT: 'stage-mismatch', SHARDS_DRAIN: 'stage-mismatch-us-ashburn-1-s1']))
    }

    @Test
    void usesNoShellNoSleepNoNodeAndNoCredentialsBinding() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS_READY: A2, SHARDS_DRAIN: A1])
        assertUsedOnly(['stage', 'libraryResource', 'lock', 'setHaproxy', 'echo'])
    }

    void assertNothingRan() {
        ['node', 'lock', 'setHaproxy', 'haproxyStatus', 'libraryResource', 'writeFile', 'fileExists'].each { String step ->
            assertEquals("${step} must not run before the parameters are valid".toString(), 0, calls(step).size())
        }
        assertJobStatusFailure()
    }

    // ---- vars/shardStates.groovy called directly, as other Jenkinsfiles would ----

    def shardStates() {
        return globalVar('shardStates')
    }

    @Test
    void applyTakesTheSiteFirstAndNamedArguments() {
        Map site = [site: PROD, regions: ['us-phoenix-1']]
        Map result = shardStates().apply(site, environment: PROD, ready: [P2], drain: "${P1}".toString())

        assertEquals([[site: PROD, regions: ['us-phoenix-1'], shard: P2, state: 'ready', force: false],
                      [site: PROD, regions: ['us-phoenix-1'], shard: P1, state: 'drain', force: false]],
                calls('setHaproxy').collect { it.args })
        assertEquals(['haproxy-state-prod-example'] * 2, calls('setHaproxy').collect { it.lock })
        assertEquals(PROD, result.environment)
        assertEquals('haproxy-state-prod-example', result.lock)
        assertEquals([[shard: P2, state: 'ready', outcome: 'ok', proxies: 2, error: null],
                      [shard: P1, state: 'drain', outcome: 'ok', proxies: 2, error: null]], result.changes)
        assertEquals(result, Serialization.roundTrip(result))
        // Nothing was required from a node: a configured site needs no workspace.
        assertTrue(calls('setHaproxy').every { !it.inNode })
    }

    @Test
    void applyAcceptsTheSiteAsANamedArgumentToo() {
        nodeDepth++    // a site file is read from the workspace of the node the caller took
        shardStates().apply(site: [siteFile: 'sites/prod-example.yaml'], environment: PROD, drain: [P1, P3], force: true)
        assertEquals([[P1, true], [P3, true]], calls('setHaproxy').collect { [it.args.shard, it.args.force] })
    }

    @Test
    void applyTakesTheSitesYamlTextWithoutANodeAndNeverPrintsIt() {
        Map site = [siteYaml: siteText(STAGE)]
        Map result = shardStates().apply(site, environment: STAGE, drain: 'stage-example-us-ashburn-1-s1')
        assertEquals([site + [shard: 'stage-example-us-ashburn-1-s1', state: 'drain', force: false]], calls('setHaproxy').collect { it.args })
        assertNoNode()
        assertTrue(log.every { !it.contains('knownHosts') && !it.contains('domain:') })
        assertEquals(STAGE, result.environment)
    }

    @Test
    void theLockNameIsPerEnvironment() {
        assertEquals('haproxy-state-prod-example', shardStates().lockName(PROD))
    }

    @Test
    void aResultWithoutOutcomesIsStillOk() {
        setHaproxyBehaviour = { Map args -> null }
        Map result = shardStates().apply([site: PROD], environment: PROD, ready: [P1])
        assertEquals([[shard: P1, state: 'ready', outcome: 'ok', proxies: null, error: null]], result.changes)
    }

    @Test
    void remoteErrorsAreShortenedToOneLine() {
        setHaproxyBehaviour = { Map args -> throw new IOException("line one\nline two\r\n" + ('z' * 1000)) }
        String message = failing { shardStates().apply([site: PROD], environment: PROD, drain: [P1]) }
        assertTrue(message, message.contains("drain ${P1} (line one line two  zzz"))
        assertTrue(message, message.length() < 500)
        assertEquals(1, message.readLines().size())
    }

    @Test
    void invalidArgumentsFailBeforeTheLock() {
        def vars = shardStates()
        assertEachFailsFirst([
                "shardStates.apply: unknown argument 'shards'; allowed: site, environment, ready, drain, force":
                        { vars.apply([site: PROD], environment: PROD, shards: [P1]) },
                'shardStates.apply: site must be the Map returned by infraSite(...)':
                        { vars.apply(environment: PROD, ready: [P1]) },
                "shardStates.apply: site has an unknown key 'shard'":
                        { vars.apply([site: PROD, shard: P1], environment: PROD, ready: [P1]) },
                'shardStates.apply: site must have exactly one of site, siteFile, siteYaml or proxies; got keys site, siteFile':
                        { vars.apply([site: PROD, siteFile: 'x.yaml'], environment: PROD, ready: [P1]) },
                'shardStates.apply: site must have exactly one of site, siteFile, siteYaml or proxies; got keys siteYaml, site':
                        { vars.apply([siteYaml: siteText(STAGE), site: PROD], environment: PROD, ready: [P1]) },
                "shardStates.apply: site: siteYaml must be the text of a site YAML file, e.g. from infraSite('stage-example'); got blank text":
                        { vars.apply([siteYaml: ' \n'], environment: PROD, ready: [P1]) },
                'shardStates.apply: site: siteYaml must be the text of a site YAML file, e.g. from infraSite(\'stage-example\'); got a value of type Integer':
                        { vars.apply([siteYaml: 42], environment: PROD, ready: [P1]) },
                "shardStates.apply: site: its siteYaml describes site 'stage-example', not environment prod-example":
                        { vars.apply([siteYaml: siteText(STAGE)], environment: PROD, ready: [P1]) },
                'shardStates.apply: give the site either as the first argument or as site:, not both':
                        { vars.apply([site: PROD], site: [site: PROD], environment: PROD, ready: [P1]) },
                'shardStates: invalid arguments:\n  shardStates.apply: environment is required':
                        { vars.apply([site: PROD], ready: [P1]) },
                'shardStates: invalid arguments:\n  shardStates.apply: ready: shard \'stage-x-s1\' does not belong to shardStates.apply: environment prod-example':
                        { vars.apply([site: PROD], environment: PROD, ready: ['stage-x-s1']) },
                'shardStates: invalid arguments:\n  shardStates.apply: drain must be shard names':
                        { vars.apply([site: PROD], environment: PROD, drain: [P1, 7]) },
                'shardStates: invalid arguments:\n  shardStates.apply: ready and shardStates.apply: drain are both empty':
                        { vars.apply([site: PROD], environment: PROD, ready: [], drain: '') },
                'shardStates: invalid arguments:\n  shardStates.apply: force must be true or false':
                        { vars.apply([site: PROD], environment: PROD, ready: [P1], force: 'yes') },
        ])
    }

    @Test
    void fromParametersReturnsTheValidatedRequest() {
        Map request = shardStates().fromParameters([ENVIRONMENT: PROD, SHARDS_READY: " ${P1},${P2} ", SHARDS_DRAIN: P3, FORCE: true])
        assertEquals([environment: PROD, ready: [P1, P2], drain: [P3], force: true], request)
        assertEquals(request, Serialization.roundTrip(request))
        assertEquals([], stepNames())
    }

    @Test
    void fromParametersWithoutParametersNamesThemAll() {
        String message = failing { shardStates().fromParameters(null) }
        assertTrue(message, message.startsWith('shardStates: invalid build parameters:\n  ENVIRONMENT is required'))
        message = failing { shardStates().fromParameters([ENVIRONMENT: PROD]) }
        assertEquals('shardStates: invalid build parameters:\n  SHARDS_READY and SHARDS_DRAIN are both empty: ' +
                'name at least one shard, e.g. prod-example-us-ashburn-1-s2', message)
    }

    @Test
    void partialFailureResultsAreStillReported() {
        setHaproxyBehaviour = { Map args -> new FakeSetHaproxyResult(['a', 'b', 'c'], args.shard != P2) }
        String message = failing { shardStates().apply([site: PROD], environment: PROD, drain: [P1, P2, P3]) }
        assertEquals("shardStates: 1 of 3 shard changes failed in prod-example: drain ${P2} (3 of 3 proxies did not accept the change)".toString(), message)
        assertTrue(log[0], log[0].contains("drain ${P2}: FAILED: 3 of 3 proxies did not accept the change"))
        assertTrue(log[0], log[0].contains("drain ${P3}: ok on 3 proxies"))
    }
}
