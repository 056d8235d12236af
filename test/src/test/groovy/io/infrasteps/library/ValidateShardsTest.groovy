package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertSame
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import io.infrasteps.library.test.FakeValidationResult
import io.infrasteps.library.test.FakeWaitResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.StepFailure
import org.junit.Before
import org.junit.Test

/** jenkinsfiles/validate-shards.Jenkinsfile run end to end against recording step mocks. */
class ValidateShardsTest extends LibraryTestBase {

    static final String FILE = 'jenkinsfiles/validate-shards.Jenkinsfile'
    static final String ENV = 'stage-example'
    static final String SITE_FILE = '.infra-steps/sites/stage-example.yaml'
    static final String A1 = 'stage-example-us-ashburn-1-s1'
    static final String A2 = 'stage-example-us-ashburn-1-s2'
    static final String F1 = 'stage-example-eu-frankfurt-1-s1'

    @Before
    void useTheJenkinsfile() {
        jenkinsfile = FILE
    }

    @Test
    void validatesTheNamedShardsInOneCallInsideNode() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS: "${A1}, ${F1} ${A2}", RELEASE_NUMBER: '', WAIT_MINUTES: '20'])

        assertEquals(['stage', 'node', 'libraryResource', 'writeFile', 'validateShard', 'echo'], stepNames())
        Map call = calls('validateShard')[0]
        assertEquals([siteFile: SITE_FILE, shards: [A1, F1, A2], tolerateFailures: true], call.args)
        assertTrue(call.inNode)
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
    void aReleaseIsWaitedForThenEveryShardItReturnsIsValidated() {
        releaseShards = [A1, F1]
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS: '', RELEASE_NUMBER: '42'])

        assertEquals(['stage', 'node', 'libraryResource', 'writeFile', 'echo', 'waitHealthyShards', 'echo', 'validateShard', 'echo'],
                stepNames())
        Map wait = calls('waitHealthyShards')[0]
        assertEquals([siteFile: SITE_FILE, release: 42, timeoutMinutes: 20], wait.args)
        assertTrue(wait.args.release instanceof Integer)
        assertTrue(wait.inNode)
        assertEquals([siteFile: SITE_FILE, shards: [A1, F1], tolerateFailures: true], calls('validateShard')[0].args)
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
        waitHealthyShardsBehaviour = { Map args -> throw new InterruptedException('aborted by a user') }
        try {
            runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
            fail('the abort should propagate')
        } catch (InterruptedException expected) {
            assertEquals('aborted by a user', expected.message)
        }
        assertTrue(calls('validateShard').isEmpty())
        assertTrue(calls('error').isEmpty())
    }

    @Test
    void anEnvironmentWithoutASiteInTheLibraryFailsBeforeAnyStep() {
        String message = runJenkinsfileFailing([ENVIRONMENT: 'prod-nowhere', SHARDS: 'prod-nowhere-us-ashburn-1-s1'])
        assertTrue(message, message.startsWith("infraSite: name: the library has no site 'prod-nowhere'"))
        assertTrue(calls('validateShard').isEmpty())
        assertTrue(calls('waitHealthyShards').isEmpty())
    }

    @Test
    void usesNoShellNoSleepNoLockAndNoCredentialsBinding() {
        releaseShards = [A1]
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '3'])
        assertEquals(['stage', 'node', 'libraryResource', 'writeFile', 'waitHealthyShards', 'validateShard', 'echo'] as Set,
                stepNames() as Set)
        assertEquals(0L, helper.methodCallCount('sh') + helper.methodCallCount('sleep') + helper.methodCallCount('withCredentials'))
    }
}
