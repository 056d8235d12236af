package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertSame
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.FakeSetHaproxyResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.Serialization
import io.infrasteps.library.test.StepFailure
import org.junit.Test

/** jenkinsfiles/set-release-ga.Jenkinsfile run end to end against recording step mocks, and vars/setReleaseGa.groovy. */
class SetReleaseGaTest extends LibraryTestBase {

    static final String ENV = STAGE

    SetReleaseGaTest() {
        jenkinsfile = 'jenkinsfiles/set-release-ga.Jenkinsfile'
    }

    @Test
    void makesTheReleaseLiveInOneSetHaproxyCallInsideTheEnvironmentLockWithoutANode() {
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '42', FORCE: false])

        assertEquals(['stage', 'libraryResource', 'lock', 'echo', 'setHaproxy', 'echo'], stepNames())
        assertEquals(STAGE_LOCK, calls('lock')[0].args)
        Map call = calls('setHaproxy')[0]
        assertEquals(STAGE_SITE + [liveRelease: 42, force: false], call.args)
        assertTrue(call.args.liveRelease instanceof Integer)
        assertEquals(STAGE_LOCK, call.lock)
        // The site is the library's YAML text: no node, no executor held while the locks are waited for.
        assertNoNode()
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
        assertEquals('setReleaseGa: release-42 is not live on every proxy of stage-example: 2 failed: ' +
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
        setHaproxyBehaviour = aborting()
        assertAbortStopsAtOnce([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
    }

    @Test
    void everyInvalidParameterIsReportedAtOnceBeforeAnythingRuns() {
        String message = runJenkinsfileFailing([ENVIRONMENT: '../x', RELEASE_NUMBER: '0', FORCE: 'maybe'])
        List<String> lines = message.readLines()
        assertEquals('setReleaseGa: invalid build parameters:', lines[0])
        assertEquals(['ENVIRONMENT', 'RELEASE_NUMBER', 'FORCE'], lines.drop(1).collect { it.trim().split(' ')[0] })
        assertTrue(message, message.contains("RELEASE_NUMBER must be a release number: a whole number from 1 to 999999999 " +
                "(ASCII digits only, no sign, spaces or leading zeros); got '0'"))
        assertEquals(['error'], stepNames())
    }

    @Test
    void aMissingReleaseNumberIsRequired() {
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, FORCE: true])
        assertEquals('setReleaseGa: invalid build parameters:\n  RELEASE_NUMBER is required: a release number: a whole number ' +
                'from 1 to 999999999 (ASCII digits only, no sign, spaces or leading zeros)', message)
        assertEquals(['error'], stepNames())
    }

    @Test
    void anEnvironmentWithoutASiteInTheLibraryFailsBeforeTheLock() {
        String message = failingBeforeTheLock([ENVIRONMENT: 'prod-nowhere', RELEASE_NUMBER: '42'])
        assertTrue(message, message.startsWith("infraSite: name: the library has no site 'prod-nowhere'"))
    }

    @Test
    void usesNoShellNoSleepNoNodeAndNoCredentialsBinding() {
        runJenkinsfile([ENVIRONMENT: ENV, RELEASE_NUMBER: '42'])
        assertUsedOnly(['stage', 'libraryResource', 'lock', 'setHaproxy', 'echo'])
    }

    // ---- vars/setReleaseGa.groovy called directly, as other Jenkinsfiles would ----

    def setReleaseGa() {
        return globalVar('setReleaseGa')
    }

    @Test
    void takesTheSiteFirstAndNamedArguments() {
        Map result = setReleaseGa().call([site: PROD], environment: PROD, release: 12)

        assertEquals([[site: PROD, liveRelease: 12, force: false]], calls('setHaproxy').collect { it.args })
        assertEquals(['lock', 'echo', 'setHaproxy', 'echo'], stepNames())
        assertEquals('haproxy-state-prod-example', calls('setHaproxy')[0].lock)
        assertTrue('a configured site needs no node', !calls('setHaproxy')[0].inNode)
        assertEquals(PROD, result.environment)
        assertEquals(12, result.release)
        assertEquals('haproxy-state-prod-example', result.lock)
        assertEquals(true, result.ok)
        assertEquals([operation: 'set state', proxy: 'haproxy-a', region: 'us-ashburn-1', result: 'changed', message: ''], result.outcomes[0])
        assertEquals(result, Serialization.roundTrip(result))
    }

    @Test
    void acceptsTheSiteAsANamedArgumentAndTheReleaseAsText() {
        nodeDepth++
        setReleaseGa().call(site: [siteFile: 'sites/prod-example.yaml'], environment: PROD, release: '7', force: true)
        assertEquals([[siteFile: 'sites/prod-example.yaml', liveRelease: 7, force: true]], calls('setHaproxy').collect { it.args })
    }

    @Test
    void theLockIsTheOneShardStatesTakes() {
        assertEquals('haproxy-state-prod-example', setReleaseGa().lockName(PROD))
        assertEquals(globalVar('shardStates').lockName(PROD), setReleaseGa().lockName(PROD))
    }

    @Test
    void invalidArgumentsFailBeforeTheLock() {
        def ga = setReleaseGa()
        assertEachFailsFirst([
                "setReleaseGa: unknown argument 'liveRelease'; allowed: site, environment, release, force":
                        { ga.call([site: PROD], environment: PROD, liveRelease: 3) },
                'setReleaseGa: site must be the Map returned by infraSite(...)':
                        { ga.call(environment: PROD, release: 3) },
                "setReleaseGa: site must not restrict regions (got regions 'us-phoenix-1')":
                        { ga.call([site: PROD, regions: ['us-phoenix-1']], environment: PROD, release: 3) },
                'setReleaseGa: site must name a site':
                        { ga.call([proxies: ['tcp://127.0.0.1:9999']], environment: PROD, release: 3) },
                "setReleaseGa: site: its siteYaml describes site 'stage-example', not environment prod-example; give the site of prod-example, e.g. infraSite('prod-example')":
                        { ga.call(STAGE_SITE, environment: PROD, release: 3) },
                'setReleaseGa: give the site either as the first argument or as site:, not both':
                        { ga.call([site: PROD], site: [site: PROD], environment: PROD, release: 3) },
                'setReleaseGa: invalid arguments:\n  setReleaseGa: environment is required':
                        { ga.call([site: PROD], release: 3) },
                'setReleaseGa: invalid arguments:\n  setReleaseGa: release is required':
                        { ga.call([site: PROD], environment: PROD) },
                'setReleaseGa: invalid arguments:\n  setReleaseGa: release must be a release number: a whole number from 1 to 999999999 (ASCII digits only, no sign, spaces or leading zeros); got 0':
                        { ga.call([site: PROD], environment: PROD, release: 0) },
                'setReleaseGa: invalid arguments:\n  setReleaseGa: release must be a release number: a whole number from 1 to 999999999 (ASCII digits only, no sign, spaces or leading zeros); got a value of type Double':
                        { ga.call([site: PROD], environment: PROD, release: 1.5d) },
                'setReleaseGa: invalid arguments:\n  setReleaseGa: force must be true or false':
                        { ga.call([site: PROD], environment: PROD, release: 3, force: 'yes') },
        ])
    }

    @Test
    void fromParametersReturnsTheValidatedRequest() {
        Map request = setReleaseGa().fromParameters([ENVIRONMENT: PROD, RELEASE_NUMBER: '42', FORCE: 'true'])
        assertEquals([environment: PROD, release: 42, force: true], request)
        assertEquals(request, Serialization.roundTrip(request))
        assertEquals([environment: PROD, release: 3, force: false], setReleaseGa().fromParameters([ENVIRONMENT: PROD, RELEASE_NUMBER: '3']))
        assertEquals([], stepNames())
    }

    @Test
    void fromParametersWithoutParametersNamesThemAll() {
        String message = failing { setReleaseGa().fromParameters(null) }
        List<String> lines = message.readLines()
        assertEquals('setReleaseGa: invalid build parameters:', lines[0])
        assertEquals(['ENVIRONMENT', 'RELEASE_NUMBER'], lines.drop(1).collect { it.trim().split(' ')[0] })
    }
}
