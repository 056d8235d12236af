package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertNull
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import io.infrasteps.library.test.FakeSetHaproxyResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.PipelineError
import org.junit.Test

/** jenkinsfiles/reconfigure-shard-states.Jenkinsfile run end to end against recording step mocks. */
class ReconfigureShardStatesTest extends LibraryTestBase {

    static final String ENV = 'stage-example'
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
            assertTrue(call.inNode)
            assertEquals('.infra-steps/sites/stage-example.yaml', call.args.siteFile)
            assertEquals(false, call.args.force)
            assertEquals(['siteFile', 'shard', 'state', 'force'] as Set, call.args.keySet())
        }
        assertEquals(1, calls('lock').size())
        assertEquals('haproxy-state-stage-example', calls('lock')[0].args)

        // The site file is copied from the library's resources into the workspace before the lock.
        List<String> order = stepNames()
        assertTrue(order.indexOf('libraryResource') < order.indexOf('writeFile'))
        assertTrue(order.indexOf('writeFile') < order.indexOf('lock'))
        assertEquals(libraryResourceFile('sites/stage-example.yaml').text,
                workspace['.infra-steps/sites/stage-example.yaml'])

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

    @Test
    void aFailingDrainStillDrainsTheOtherShardsThenFailsTheBuildNamingIt() {
        setHaproxyBehaviour = { Map args ->
            if (args.shard == A1) {
                throw new IOException("us-ashburn-1 haproxy-a (ssh://haproxy@haproxy-a...): set server ${A1}/${A1} state drain: No such server.")
            }
            return new FakeSetHaproxyResult(['haproxy-a'], true)
        }
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
        setHaproxyBehaviour = { Map args ->
            if (args.shard == A2) {
                throw new IOException('eu-frankfurt-1 haproxy-a: connection refused')
            }
            return new FakeSetHaproxyResult(['haproxy-a'], true)
        }
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
        setHaproxyBehaviour = { Map args -> throw new InterruptedException('aborted by a user') }
        try {
            runJenkinsfile([ENVIRONMENT: ENV, SHARDS_READY: "${A1} ${A2}", SHARDS_DRAIN: F1])
            fail('the abort should propagate')
        } catch (InterruptedException expected) {
            assertEquals('aborted by a user', expected.message)
        }
        assertEquals([A1], calls('setHaproxy').collect { it.args.shard })
        assertTrue(calls('error').isEmpty())
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
        String message = runJenkinsfileFailing([ENVIRONMENT: 'prod-nowhere', SHARDS_DRAIN: 'prod-nowhere-us-ashburn-1-s1'])
        assertEquals("infraSite: name: the library has no site 'prod-nowhere' (resources/sites/prod-nowhere.yaml): " +
                'No such library resource sites/prod-nowhere.yaml could be found.', message)
        assertTrue(calls('lock').isEmpty())
        assertTrue(calls('setHaproxy').isEmpty())
        assertTrue(calls('writeFile').isEmpty())
    }

    @Test
    void aSiteFileDescribingAnotherEnvironmentFailsBeforeTheLock() {
        String message = runJenkinsfileFailing([ENVIRONMENT: 'stage-mismatch', SHARDS_DRAIN: 'stage-mismatch-us-ashburn-1-s1'])
        assertEquals("infraSite: name: resources/sites/stage-mismatch.yaml describes site 'stage-other', not 'stage-mismatch'; " +
                'its top-level name: must match the file name', message)
        assertTrue(calls('lock').isEmpty())
        assertTrue(calls('writeFile').isEmpty())
    }

    @Test
    void usesNoShellNoSleepAndNoCredentialsBinding() {
        runJenkinsfile([ENVIRONMENT: ENV, SHARDS_READY: A2, SHARDS_DRAIN: A1])
        Set<String> used = stepNames() as Set
        assertEquals(['stage', 'node', 'libraryResource', 'writeFile', 'lock', 'setHaproxy', 'echo'] as Set, used)
        assertEquals(0L, helper.methodCallCount('sh') + helper.methodCallCount('sleep') + helper.methodCallCount('withCredentials'))
    }

    void assertNothingRan() {
        ['node', 'lock', 'setHaproxy', 'haproxyStatus', 'libraryResource', 'writeFile', 'fileExists'].each { String step ->
            assertEquals("${step} must not run before the parameters are valid".toString(), 0, calls(step).size())
        }
        assertJobStatusFailure()
    }
}
