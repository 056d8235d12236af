package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertSame
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.FakeValidationResult
import io.infrasteps.library.test.FakeWaitResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.Serialization
import io.infrasteps.library.test.StepFailure
import org.junit.Test

/** jenkinsfiles/validate-shards.Jenkinsfile run end to end against recording step mocks, and vars/shardValidation.groovy. */
class ValidateShardsTest extends LibraryTestBase {

    static final String ENV = STAGE
    static final String A1 = 'stage-example-us-ashburn-1-s1'
    static final String A2 = 'stage-example-us-ashburn-1-s2'
    static final String F1 = 'stage-example-eu-frankfurt-1-s1'

    ValidateShardsTest() {
        jenkinsfile = 'jenkinsfiles/validate-shards.Jenkinsfile'
    }

    @Test
    void validatesTheNamedShardsInOneCallWithoutANode() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS: "${A1}, ${F1} ${A2}", RELEASE_NUMBER: '', WAIT_MINUTES: '20'])

        assertEquals(['stage', 'libraryResource', 'validateShard', 'echo'], stepNames())
        Map call = calls('validateShard')[0]
        assertEquals(STAGE_SITE + [shards: [A1, F1, A2], tolerateFailures: true], call.args)
        assertNoNode()
        assertNull('validation takes no lock', call.lock)
        assertTrue(calls('waitHealthyShards').isEmpty())

        assertEquals('Shard validation in stage-example: 3 shards, 3 passed, 0 failed\n' +
                '  shard                            result  consul  sidecar  haproxy  state\n' +
                "  ${A1}    passed  ok      ok       ok       ok\n" +
                "  ${F1}  passed  ok      ok       ok       ok\n" +
                "  ${A2}    passed  ok      ok       ok       ok", log[0])
        assertJobStatusSuccess()
    }

    @Test
    void aReleaseIsWaitedForWithoutHoldingAnExecutorThenEveryShardItReturnsIsValidated() {
        releaseShards = [A1, F1]
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS: '', RELEASE_NUMBER: '42'])

        assertEquals(['stage', 'libraryResource', 'echo', 'waitHealthyShards', 'echo', 'validateShard', 'echo'], stepNames())
        Map wait = calls('waitHealthyShards')[0]
        assertEquals(STAGE_SITE + [release: 42, timeoutMinutes: 20], wait.args)
        assertTrue(wait.args.release instanceof Integer)
        // The site is the library's YAML text: the wait (up to WAIT_MINUTES) runs outside node.
        assertNoNode()
        assertEquals(STAGE_SITE + [shards: [A1, F1], tolerateFailures: true], calls('validateShard')[0].args)
        assertEquals('Waiting up to 20 minutes for every shard of release 42 in stage-example to be healthy in Consul', log[0])
        assertEquals("Release 42 in stage-example: 2 healthy shards: ${A1}, ${F1}".toString(), log[1])
        assertTrue(log[2], log[2].startsWith('Shard validation in stage-example (release 42): 2 shards, 2 passed, 0 failed\n'))
        assertJobStatusSuccess()
    }

    @Test
    void waitMinutesIsPassedAsTimeoutMinutes() {
        releaseShards = [A1]
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '7', WAIT_MINUTES: '45'])
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '7', WAIT_MINUTES: ''])
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '7'])
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '7', WAIT_MINUTES: '240'])
        assertEquals([45, 20, 20, 240], calls('waitHealthyShards').collect { it.args.timeoutMinutes })
    }

    @Test
    void waitMinutesIsCheckedButNotUsedWithNamedShards() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS: A1, RELEASE_NUMBER: '', WAIT_MINUTES: '5'])
        assertTrue(calls('waitHealthyShards').isEmpty())
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS: A1, WAIT_MINUTES: '0'])
        assertTrue(message, message.contains('WAIT_MINUTES must be minutes to wait for healthy shards: a whole number from 1 to 240'))
    }

    @Test
    void shardsOfAReleaseMayComeAsObjectsOrMaps() {
        waitHealthyShardsBehaviour = { Map args -> new FakeWaitResult([new FakeWaitResult.Healthy(A1), [shard: F1, healthy: true], A1]) }
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertEquals([A1, F1], calls('validateShard')[0].args.shards)
    }

    @Test
    void failedShardsAreAllShownThenTheBuildFailsNamingThem() {
        validateShardBehaviour = { Map args ->
            FakeValidationResult.of(args.shards as List, [(F1): [sidecar: 'GET http://10.0.0.7:6000/signal/report: healthy is false'],
                                                          (A2): [consul: 'not registered in stage-example-us-ashburn-1',
                                                                 haproxy: 'us-ashburn-1 haproxy-a has no server ' + A2]])
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS: "${A1} ${F1} ${A2}"])

        assertEquals(1, calls('validateShard').size())
        assertEquals("shardValidation: 2 of 3 shards failed validation in stage-example: " +
                "${F1} (sidecar: GET http://10.0.0.7:6000/signal/report: healthy is false), " +
                "${A2} (consul: not registered in stage-example-us-ashburn-1; haproxy: us-ashburn-1 haproxy-a has no server ${A2})",
                message)
        String table = log.find { it.startsWith('Shard validation') }
        assertEquals('Shard validation in stage-example: 3 shards, 1 passed, 2 failed\n' +
                '  shard                            result  consul  sidecar  haproxy  state\n' +
                "  ${A1}    passed  ok      ok       ok       ok\n" +
                "  ${F1}  FAILED  ok      FAILED   ok       ok\n" +
                "  ${A2}    FAILED  FAILED  ok       FAILED   ok\n" +
                "  ${F1} sidecar: GET http://10.0.0.7:6000/signal/report: healthy is false\n" +
                "  ${A2} consul: not registered in stage-example-us-ashburn-1\n" +
                "  ${A2} haproxy: us-ashburn-1 haproxy-a has no server ${A2}", table)
        assertJobStatusFailure()
    }

    @Test
    void aShardTheStepNamesAsFailedFailsTheBuildEvenIfItsChecksLookFine() {
        validateShardBehaviour = { Map args ->
            FakeValidationResult passing = FakeValidationResult.of(args.shards as List, [:])
            return new Object() {
                List getShards() { passing.getShards() }
                boolean isAllPassed() { false }
                List<String> getFailedShards() { [F1] }
            }
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS: "${A1} ${F1}"])
        assertEquals("shardValidation: 1 of 2 shards failed validation in stage-example: ${F1}".toString(), message)
    }

    @Test
    void aShardMissingFromTheResultCountsAsFailed() {
        validateShardBehaviour = { Map args -> FakeValidationResult.of([A1], [:]) }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS: "${A1} ${F1}"])
        assertEquals("shardValidation: 1 of 2 shards failed validation in stage-example: " +
                "${F1} (result: validateShard returned no result for this shard)".toString(), message)
    }

    @Test
    void remoteReasonsAreOnePrintableLine() {
        validateShardBehaviour = { Map args ->
            FakeValidationResult.of(args.shards as List, [(A1): [sidecar: "bad\r\n[Pipeline] echo forged\n" + ('z' * 1000)]])
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS: A1])
        assertEquals(1, message.readLines().size())
        assertTrue(message, message.contains('(sidecar: bad  [Pipeline] echo forged zzz'))
        assertTrue(message, message.length() < 500)
        String table = log.find { it.startsWith('Shard validation') }
        assertEquals(4, table.readLines().size())
    }

    @Test
    void aWaitTimeoutFailsTheBuildWithTheStepsMessageAndValidatesNothing() {
        String timeout = "waitHealthyShards: 2 of 3 shards of release 42 in stage-example are not healthy after 20 minutes:\n" +
                "  ${F1}: check serfHealth critical\n  ${A2}: not registered"
        waitHealthyShardsBehaviour = { Map args -> throw new StepFailure(timeout) }
        Throwable thrown = runJenkinsfileThrowing([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertTrue(thrown instanceof StepFailure)
        assertEquals(timeout, thrown.message)
        assertTrue(calls('validateShard').isEmpty())
        assertTrue(calls('error').isEmpty())
    }

    @Test
    void aStepErrorFailsTheBuildWithTheStepsMessage() {
        StepFailure failure = new StepFailure("validateShard: us-ashburn-1: GET https://stage-example-us-ashburn-1-consul.example.com/v1/health/service/signal failed: connection refused")
        validateShardBehaviour = { Map args -> throw failure }
        assertSame(failure, runJenkinsfileThrowing([ENVIRONMENT: ENV, SHARDS: A1]))
        assertTrue(log.findAll { it.startsWith('Shard validation') }.isEmpty())
    }

    @Test
    void aReleaseWithoutShardsFailsTheBuild() {
        releaseShards = []
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertEquals('shardValidation: release 42 has no shards in stage-example: waitHealthyShards returned none', message)
        assertTrue(calls('validateShard').isEmpty())
    }

    @Test
    void shardNamesFromConsulAreCheckedBeforeUse() {
        ['other-env-us-ashburn-1-s1', "${A1};id", "${A1}\n[Pipeline] forged"].each { String name ->
            steps.clear()
            log.clear()
            releaseShards = [A1, name]
            String message = runJenkinsfileFailing([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
            assertTrue(message, message.startsWith('shardValidation: waitHealthyShards: shards of release 42'))
            assertEquals(1, message.readLines().size())
            assertTrue(calls('validateShard').isEmpty())
        }
    }

    @Test
    void shardsAndReleaseTogetherOrNeitherAreRejectedBeforeAnythingRuns() {
        String both = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS: A1, RELEASE_NUMBER: '42'])
        assertEquals('shardValidation: invalid build parameters:\n  SHARDS and RELEASE_NUMBER are both given: name shards ' +
                'to validate, or give RELEASE_NUMBER to validate every shard of that release, not both', both)
        assertEquals(['error'], stepNames())
        steps.clear()
        String neither = runJenkinsfileFailing([ENVIRONMENT: ENV, SHARDS: ' , ', RELEASE_NUMBER: ''])
        assertEquals('shardValidation: invalid build parameters:\n  SHARDS and RELEASE_NUMBER are both empty: name shards ' +
                'to validate (e.g. stage-example-us-ashburn-1-s2), or give RELEASE_NUMBER to validate every shard of that release', neither)
        assertEquals(['error'], stepNames())
    }

    @Test
    void everyInvalidParameterIsReportedAtOnce() {
        String message = runJenkinsfileFailing([ENVIRONMENT: 'Stage', SHARDS: 'a;b', RELEASE_NUMBER: '-1', WAIT_MINUTES: 'soon'])
        List<String> lines = message.readLines()
        assertEquals('shardValidation: invalid build parameters:', lines[0])
        assertEquals(['ENVIRONMENT', 'SHARDS', 'RELEASE_NUMBER', 'WAIT_MINUTES'], lines.drop(1).collect { it.trim().split(' ')[0] })
        assertTrue(message, message.contains("RELEASE_NUMBER must be a release number: a whole number from 1 to 999999999 (ASCII digits only, no sign, spaces or leading zeros); got '-1'"))
    }

    @Test
    void anAbortedWaitStopsAtOnce() {
        waitHealthyShardsBehaviour = aborting()
        assertAbortStopsAtOnce([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertTrue(calls('validateShard').isEmpty())
    }

    @Test
    void anEnvironmentWithoutASiteInTheLibraryFailsBeforeAnyStep() {
        String message = failingBeforeTheLock([ENVIRONMENT: 'prod-nowhere', SHARDS: 'prod-nowhere-us-ashburn-1-s1'])
        assertTrue(message, message.startsWith("infraSite: name: the library has no site 'prod-nowhere'"))
    }

    @Test
    void usesNoShellNoSleepNoLockNoNodeAndNoCredentialsBinding() {
        releaseShards = [A1]
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '3'])
        assertUsedOnly(['stage', 'libraryResource', 'waitHealthyShards', 'validateShard', 'echo'])
    }

    // ---- vars/shardValidation.groovy called directly, as other Jenkinsfiles would ----

    def shardValidation() {
        return globalVar('shardValidation')
    }

    @Test
    void validateTakesTheSiteFirstAndNamedArguments() {
        Map site = [site: PROD, regions: ['us-phoenix-1']]
        Map result = shardValidation().validate(site, environment: PROD, shards: "${P1},${P2}".toString())

        assertEquals([[site: PROD, regions: ['us-phoenix-1'], shards: [P1, P2], tolerateFailures: true]],
                calls('validateShard').collect { it.args })
        assertTrue('a configured site needs no node', calls('validateShard').every { !it.inNode && it.lock == null })
        assertEquals(PROD, result.environment)
        assertEquals(null, result.release)
        assertEquals([P1, P2], result.shards)
        assertEquals([shard: P1, passed: true, checks: [[name: 'consul', ok: true, reason: 'consul fine'],
                                                        [name: 'sidecar', ok: true, reason: 'sidecar fine'],
                                                        [name: 'haproxy', ok: true, reason: 'haproxy fine'],
                                                        [name: 'state', ok: true, reason: 'state fine']]], result.reports[0])
        // Only plain lists and maps are kept and returned.
        assertEquals(result, Serialization.roundTrip(result))
        assertEquals(LinkedHashMap, result.reports[0].getClass())
    }

    @Test
    void validateAcceptsTheSiteAsANamedArgumentAndAReleaseAsANumber() {
        nodeDepth++    // a site file is read from the workspace of the node the caller took
        releaseShards = [P1, P3]
        Map result = shardValidation().validate(site: [siteFile: 'sites/prod-example.yaml'], environment: PROD, release: 12, waitMinutes: 5)
        assertEquals([siteFile: 'sites/prod-example.yaml', release: 12, timeoutMinutes: 5], calls('waitHealthyShards')[0].args)
        assertEquals([P1, P3], calls('validateShard')[0].args.shards)
        assertEquals(12, result.release)
        assertEquals([P1, P3], result.shards)
    }

    @Test
    void aFailureIsReportedAfterTheWholeTable() {
        validateShardBehaviour = { Map args -> FakeValidationResult.of(args.shards as List, [(P2): [state: 'no shard-states/prod-example/' + P2]]) }
        String message = failing { shardValidation().validate([site: PROD], environment: PROD, shards: [P1, P2, P3]) }
        assertEquals("shardValidation: 1 of 3 shards failed validation in prod-example: ${P2} (state: no shard-states/prod-example/${P2})".toString(), message)
        assertEquals(['validateShard', 'echo', 'error'], stepNames())
        assertTrue(log[0], log[0].contains("${P2}  FAILED  ok      ok       ok       FAILED"))
    }

    @Test
    void checksOnlySomeShardsRanAreShownAsDashes() {
        validateShardBehaviour = { Map args ->
            new FakeValidationResult([new FakeValidationResult.Shard(P1, [new FakeValidationResult.Check('consul', false, 'not registered')]),
                                      new FakeValidationResult.Shard(P2, [new FakeValidationResult.Check('consul', true, 'ok'),
                                                                          new FakeValidationResult.Check('sidecar', true, 'report healthy')])])
        }
        failing { shardValidation().validate([site: PROD], environment: PROD, shards: [P1, P2]) }
        assertEquals('Shard validation in prod-example: 2 shards, 1 passed, 1 failed\n' +
                '  shard                         result  consul  sidecar\n' +
                "  ${P1}  FAILED  FAILED  -\n" +
                "  ${P2}  passed  ok      ok\n" +
                "  ${P1} consul: not registered", log[0])
    }

    @Test
    void theWaitForAReleaseOfALibrarySiteHoldsNoExecutor() {
        releaseShards = ['stage-example-us-ashburn-1-s1']
        shardValidation().validate(STAGE_SITE, environment: STAGE, release: 3)
        assertEquals([STAGE_SITE + [release: 3, timeoutMinutes: 20]], calls('waitHealthyShards').collect { it.args })
        assertEquals([STAGE_SITE + [shards: releaseShards, tolerateFailures: true]], calls('validateShard').collect { it.args })
        assertNoNode()
    }

    @Test
    void invalidArgumentsFailBeforeAnyStep() {
        def vars = shardValidation()
        assertEachFailsFirst([
                "shardValidation.validate: unknown argument 'ready'; allowed: site, environment, shards, release, waitMinutes":
                        { vars.validate([site: PROD], environment: PROD, ready: [P1]) },
                'shardValidation.validate: site must be the Map returned by infraSite(...)':
                        { vars.validate(environment: PROD, shards: [P1]) },
                'shardValidation.validate: site must name a site (infraSite(\'<name>\'), file: or configured:), not bare proxies':
                        { vars.validate([proxies: ['tcp://127.0.0.1:9999']], environment: PROD, shards: [P1]) },
                'shardValidation.validate: give the site either as the first argument or as site:, not both':
                        { vars.validate([site: PROD], site: [site: PROD], environment: PROD, shards: [P1]) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: environment is required':
                        { vars.validate([site: PROD], shards: [P1]) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: shards: shard \'stage-x-s1\' does not belong to shardValidation.validate: environment prod-example':
                        { vars.validate([site: PROD], environment: PROD, shards: ['stage-x-s1']) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: release must be a release number':
                        { vars.validate([site: PROD], environment: PROD, release: -3) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: waitMinutes must be minutes to wait for healthy shards: a whole number from 1 to 240':
                        { vars.validate([site: PROD], environment: PROD, release: 3, waitMinutes: 0) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: shards and shardValidation.validate: release are both given':
                        { vars.validate([site: PROD], environment: PROD, shards: [P1], release: 3) },
                'shardValidation: invalid arguments:\n  shardValidation.validate: shards and shardValidation.validate: release are both empty':
                        { vars.validate([site: PROD], environment: PROD, shards: []) },
                "shardValidation.validate: site: its siteYaml describes site 'stage-example', not environment prod-example":
                        { vars.validate(STAGE_SITE, environment: PROD, release: 3) },
        ])
    }

    @Test
    void fromParametersReturnsTheValidatedRequest() {
        Map request = shardValidation().fromParameters([ENVIRONMENT: PROD, SHARDS: " ${P1},${P2} ${P1}", RELEASE_NUMBER: '', WAIT_MINUTES: ''])
        assertEquals([environment: PROD, shards: [P1, P2], release: null, waitMinutes: 20], request)
        assertEquals(request, Serialization.roundTrip(request))
        request = shardValidation().fromParameters([ENVIRONMENT: PROD, RELEASE_NUMBER: '120', WAIT_MINUTES: '90'])
        assertEquals([environment: PROD, shards: [], release: 120, waitMinutes: 90], request)
        assertEquals([], stepNames())
    }

    @Test
    void fromParametersWithoutParametersNamesThem() {
        String message = failing { shardValidation().fromParameters(null) }
        assertEquals('shardValidation: invalid build parameters:\n  ENVIRONMENT is required: a name matching [a-z0-9][a-z0-9-]{0,62} ' +
                "(lower-case ASCII letters, digits and '-', starting with a letter or digit, 1 to 63 characters)", message)
    }
}
