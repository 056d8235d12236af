package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertSame
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import io.infrasteps.library.test.FakeSetHaproxyResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.StepFailure
import org.junit.Before
import org.junit.Test

/** jenkinsfiles/set-release-ga.Jenkinsfile run end to end against recording step mocks. */
class SetReleaseGaTest extends LibraryTestBase {

    static final String FILE = 'jenkinsfiles/set-release-ga.Jenkinsfile'
    static final String ENV = 'stage-example'
    static final String SITE_FILE = '.infra-steps/sites/stage-example.yaml'
    static final String LOCK = 'haproxy-state-stage-example'

    @Before
    void useTheJenkinsfile() {
        jenkinsfile = FILE
    }

    @Test
    void makesTheReleaseLiveInOneSetHaproxyCallInsideTheEnvironmentLock() {
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '42', FORCE: false])

        assertEquals(['stage', 'node', 'libraryResource', 'writeFile', 'lock', 'echo', 'setHaproxy', 'echo'], stepNames())
        assertEquals(LOCK, calls('lock')[0].args)
        Map call = calls('setHaproxy')[0]
        assertEquals([siteFile: SITE_FILE, liveRelease: 42, force: false], call.args)
        assertTrue(call.args.liveRelease instanceof Integer)
        assertEquals(LOCK, call.lock)
        assertTrue(call.inNode)
        // The step takes the Consul environment lock itself; the library does not nest another.
        assertTrue(calls('withEnvironmentLock').isEmpty())

        assertEquals('Making release 42 GA in stage-example', log[0])
        assertEquals('Release GA in stage-example (lock haproxy-state-stage-example): release-42 is live; 2 of 2 proxy changes ok\n' +
                '  us-ashburn-1 haproxy-a: changed (set state)\n' +
                '  us-ashburn-1 haproxy-b: changed (set state)', log[1])
        assertJobStatusSuccess()
    }

    @Test
    void forceIsPassedAsBooleanOrString() {
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '7', FORCE: true])
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '8', FORCE: 'true'])
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '9', FORCE: 'false'])
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '10'])
        assertEquals([[7, true], [8, true], [9, false], [10, false]], calls('setHaproxy').collect { [it.args.liveRelease, it.args.force] })
        assertEquals('Making release 7 GA in stage-example (force: shard health is not required)', log[0])
    }

    @Test
    void theLargestReleaseNumberIsAccepted() {
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '999999999'])
        assertEquals(999999999, calls('setHaproxy')[0].args.liveRelease)
    }

    @Test
    void aRefusalFailsTheBuildWithTheStepsMessage() {
        StepFailure refusal = new StepFailure('setHaproxy: refusing to make release 42 GA: unhealthy shards ' +
                '[stage-example-eu-frankfurt-1-s3] (wait for them, or use force: true)')
        setHaproxyBehaviour = { Map args -> throw refusal }
        Throwable thrown = runJenkinsfileThrowing([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertSame(refusal, thrown)
        assertEquals(1, calls('setHaproxy').size())
        assertTrue('the lock is released', locks.isEmpty())
        assertTrue(log.findAll { it.startsWith('Release GA') }.isEmpty())
        assertTrue(calls('error').isEmpty())
    }

    @Test
    void failedProxiesFailTheBuildNamingEachOfThem() {
        setHaproxyBehaviour = { Map args -> new FakeSetHaproxyResult(['haproxy-a', 'haproxy-b'], false) }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertEquals('releaseGa: release-42 is not live on every proxy of stage-example: 2 failed: ' +
                'us-ashburn-1 haproxy-a (failed: No such server.); us-ashburn-1 haproxy-b (failed: No such server.)', message)
        String summary = log.find { it.startsWith('Release GA') }
        assertTrue(summary, summary.contains('release-42 is NOT live everywhere; 0 of 2 proxy changes ok'))
    }

    @Test
    void aResultWithoutOutcomesIsReportedAsSuch() {
        setHaproxyBehaviour = { Map args -> null }
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertEquals('Release GA in stage-example (lock haproxy-state-stage-example): release-42 is live; ' +
                'the step reported no per-proxy outcomes', log[1])
    }

    @Test
    void anAbortedBuildStopsAtOnce() {
        setHaproxyBehaviour = { Map args -> throw new InterruptedException('aborted by a user') }
        try {
            runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
            fail('the abort should propagate')
        } catch (InterruptedException expected) {
            assertEquals('aborted by a user', expected.message)
        }
        assertTrue(calls('error').isEmpty())
        assertTrue(locks.isEmpty())
    }

    @Test
    void everyInvalidParameterIsReportedAtOnceBeforeAnythingRuns() {
        String message = runJenkinsfileFailing([ENVIRONMENT: '../x', RELEASE_NUMBER: '0', FORCE: 'maybe'])
        List<String> lines = message.readLines()
        assertEquals('releaseGa: invalid build parameters:', lines[0])
        assertEquals(['ENVIRONMENT', 'RELEASE_NUMBER', 'FORCE'], lines.drop(1).collect { it.trim().split(' ')[0] })
        assertTrue(message, message.contains("RELEASE_NUMBER must be a release number: a whole number from 1 to 999999999 " +
                "(ASCII digits only, no sign, spaces or leading zeros); got '0'"))
        assertEquals(['error'], stepNames())
    }

    @Test
    void aMissingReleaseNumberIsRequired() {
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, FORCE: true])
        assertEquals('releaseGa: invalid build parameters:\n  RELEASE_NUMBER is required: a release number: a whole number ' +
                'from 1 to 999999999 (ASCII digits only, no sign, spaces or leading zeros)', message)
        assertEquals(['error'], stepNames())
    }

    @Test
    void anEnvironmentWithoutASiteInTheLibraryFailsBeforeTheLock() {
        String message = runJenkinsfileFailing([ENVIRONMENT: 'prod-nowhere', RELEASE_NUMBER: '42'])
        assertTrue(message, message.startsWith("infraSite: name: the library has no site 'prod-nowhere'"))
        assertTrue(calls('lock').isEmpty())
        assertTrue(calls('setHaproxy').isEmpty())
    }

    @Test
    void usesNoShellNoSleepAndNoCredentialsBinding() {
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertEquals(['stage', 'node', 'libraryResource', 'writeFile', 'lock', 'setHaproxy', 'echo'] as Set, stepNames() as Set)
        assertEquals(0L, helper.methodCallCount('sh') + helper.methodCallCount('sleep') + helper.methodCallCount('withCredentials'))
    }
}
