package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertSame
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.FakeSetHaproxyResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.StepFailure
import org.junit.Test

/** jenkinsfiles/reconfigure-haproxy.Jenkinsfile run end to end against recording step mocks, and vars/haproxyChange.groovy. */
class ReconfigureHaproxyTest extends LibraryTestBase {

    static final String ENV = STAGE
    static final String LOCK = STAGE_LOCK
    static final String SERVER = 'stage-example-us-ashburn-1-s2'
    static final List<String> ALL = ['us-ashburn-1', 'eu-frankfurt-1']

    /** The parameters a release manager leaves as the job offers them, plus the given ones. */
    static Map params(Map given) {
        return [ENVIRONMENT: ENV, BACKEND: '', SERVER: '', STATE: 'unchanged', WEIGHT: '', HEALTH: 'unchanged',
                REGIONS: 'all', FORCE: false] + given
    }

    ReconfigureHaproxyTest() {
        jenkinsfile = 'jenkinsfiles/reconfigure-haproxy.Jenkinsfile'
    }

    @Test
    void drainsOneServerInOneSetHaproxyCallInsideTheLockWithoutANode() {
        runJenkinsfile(params(BACKEND: 'release-42', SERVER: SERVER, STATE: 'drain', REGIONS: 'us-ashburn-1'))

        assertEquals(['libraryResource', 'stage', 'libraryResource', 'lock', 'echo', 'setHaproxy', 'echo'], stepNames())
        // The regions are checked against the library's site before anything else.
        assertEquals('sites/stage-example.yaml', steps[0].args)
        Map call = calls('setHaproxy')[0]
        assertEquals(STAGE_SITE + [regions: ['us-ashburn-1'], backend: 'release-42', server: SERVER, state: 'drain'], call.args)
        assertEquals(LOCK, call.lock)
        assertNoNode()
        assertEquals(LOCK, calls('lock')[0].args)
        assertTrue(calls('withEnvironmentLock').isEmpty())

        assertEquals("Changing HAProxy in stage-example: state drain for release-42/${SERVER} in us-ashburn-1".toString(), log[0])
        assertEquals(("HAProxy change in stage-example (lock haproxy-state-stage-example): state drain for release-42/${SERVER} " +
                'in us-ashburn-1; 2 of 2 proxy changes ok\n' +
                '  us-ashburn-1 haproxy-a: changed (set state)\n' +
                '  us-ashburn-1 haproxy-b: changed (set state)').toString(), log[1])
        assertJobStatusSuccess()
    }

    @Test
    void weightAndStateTogetherAndWeightZero() {
        runJenkinsfile(params(BACKEND: SERVER, SERVER: SERVER, STATE: 'ready', WEIGHT: '100'))
        runJenkinsfile(params(BACKEND: 'release-42', SERVER: SERVER, WEIGHT: '0'))
        runJenkinsfile(params(BACKEND: 'release-42', SERVER: SERVER, STATE: '', WEIGHT: 256))
        assertEquals([STAGE_SITE + [regions: ALL, backend: SERVER, server: SERVER, state: 'ready', weight: 100],
                      STAGE_SITE + [regions: ALL, backend: 'release-42', server: SERVER, weight: 0],
                      STAGE_SITE + [regions: ALL, backend: 'release-42', server: SERVER, weight: 256]],
                calls('setHaproxy').collect { it.args })
        assertTrue(calls('setHaproxy').every { it.args.weight instanceof Integer })
        assertEquals("Changing HAProxy in stage-example: weight 100, state ready for ${SERVER}/${SERVER} in us-ashburn-1, eu-frankfurt-1".toString(), log[0])
    }

    @Test
    void healthChangesWholeProxiesOfEveryRegion() {
        runJenkinsfile(params(HEALTH: 'down'))
        assertEquals([STAGE_SITE + [regions: ALL, health: 'down']], calls('setHaproxy').collect { it.args })
        assertEquals('Changing HAProxy in stage-example: health down on whole proxies in us-ashburn-1, eu-frankfurt-1', log[0])
        steps.clear()
        runJenkinsfile([ENVIRONMENT: ENV, HEALTH: 'up'])
        assertEquals([STAGE_SITE + [regions: ALL, health: 'up']], calls('setHaproxy').collect { it.args })
    }

    @Test
    void regionsAreTakenInTheSitesOrderWithoutRepeats() {
        runJenkinsfile(params(HEALTH: 'up', REGIONS: 'eu-frankfurt-1, us-ashburn-1 eu-frankfurt-1'))
        assertEquals([ALL], calls('setHaproxy').collect { it.args.regions })
        steps.clear()
        runJenkinsfile(params(HEALTH: 'up', REGIONS: ''))
        assertEquals([ALL], calls('setHaproxy').collect { it.args.regions })
    }

    @Test
    void aRegionOutsideTheSiteFailsFirstNamingTheParameter() {
        String message = runJenkinsfileFailing(params(HEALTH: 'down', REGIONS: 'us-ashburn-1 ap-tokyo-1'))
        assertEquals("infraSite.regionsOf: REGIONS: ap-tokyo-1 is not a region of stage-example; its regions: us-ashburn-1, eu-frankfurt-1 (or 'all')", message)
        assertEquals(['libraryResource', 'error'], stepNames())
    }

    @Test
    void forceIsPassedForDrainAndMaintOnly() {
        runJenkinsfile(params(BACKEND: 'release-42', SERVER: SERVER, STATE: 'maint', FORCE: true))
        runJenkinsfile(params(BACKEND: 'release-42', SERVER: SERVER, STATE: 'drain', FORCE: 'true'))
        runJenkinsfile(params(BACKEND: 'release-42', SERVER: SERVER, STATE: 'drain', FORCE: 'false'))
        assertEquals([true, true, null], calls('setHaproxy').collect { it.args.force })
        assertTrue(log[0], log[0].contains('state maint for release-42/stage-example-us-ashburn-1-s2 (force)'))

        steps.clear()
        String message = runJenkinsfileFailing(params(BACKEND: 'release-42', SERVER: SERVER, STATE: 'ready', FORCE: true))
        assertEquals('haproxyChange: invalid build parameters:\n  FORCE applies only when STATE is drain or maint ' +
                '(it overrides the last-ready-server guard)', message)
        assertEquals(['error'], stepNames())
    }

    @Test
    void whatToChangeMustBeOneServerOrWholeProxies() {
        Map<Map, String> cases = [
                (params([:]))                                                   : 'nothing to change: give BACKEND, SERVER and STATE or WEIGHT to change a server, or HEALTH (up or down) to change whole proxies',
                (params(HEALTH: 'down', BACKEND: 'release-42', STATE: 'drain')) : 'HEALTH changes whole proxies; leave BACKEND, STATE empty (or leave HEALTH unchanged to change a server)',
                (params(BACKEND: 'release-42', STATE: 'drain'))                 : 'SERVER is required to change a server: give BACKEND and SERVER (e.g. release-42 and stage-example-us-ashburn-1-s2)',
                (params(SERVER: SERVER, WEIGHT: '5'))                           : 'BACKEND is required to change a server: give BACKEND and SERVER (e.g. release-42 and stage-example-us-ashburn-1-s2)',
                (params(BACKEND: 'release-42', SERVER: SERVER))                 : 'STATE and WEIGHT are both unchanged: give a state (ready, drain, maint) and/or a weight (0 to 256) for release-42/stage-example-us-ashburn-1-s2',
        ]
        cases.each { Map given, String expected ->
            steps.clear()
            assertEquals('haproxyChange: invalid build parameters:\n  ' + expected, runJenkinsfileFailing(given))
            assertEquals(['error'], stepNames())
        }
    }

    @Test
    void everyInvalidParameterIsReportedAtOnceBeforeAnythingRuns() {
        String message = runJenkinsfileFailing([ENVIRONMENT: '../x', BACKEND: 'a b', SERVER: 'x;y', STATE: 'up', WEIGHT: '257',
                                                HEALTH: 'sideways', REGIONS: 'a;b', FORCE: 'maybe'])
        List<String> lines = message.readLines()
        assertEquals('haproxyChange: invalid build parameters:', lines[0])
        assertEquals(['ENVIRONMENT', 'BACKEND', 'SERVER', 'STATE', 'WEIGHT', 'HEALTH', 'FORCE', 'REGIONS'],
                lines.drop(1).collect { it.trim().split(' ')[0] })
        assertTrue(message, message.contains("STATE must be one of unchanged, ready, drain, maint; got 'up'"))
        assertTrue(message, message.contains('WEIGHT must be a server weight: a whole number from 0 to 256 (ASCII digits only, no sign, spaces or leading zeros); got 257'))
        assertEquals(['error'], stepNames())
    }

    @Test
    void aRefusalFailsTheBuildWithTheStepsMessageAndReleasesTheLock() {
        StepFailure refusal = new StepFailure('setHaproxy: refusing to drain release-42/x: backend release-42 would have no ready server on haproxy-a (use force: true)')
        setHaproxyBehaviour = { Map args -> throw refusal }
        Throwable thrown = runJenkinsfileThrowing(params(BACKEND: 'release-42', SERVER: SERVER, STATE: 'drain'))
        assertSame(refusal, thrown)
        assertTrue(locks.isEmpty())
        assertTrue(calls('error').isEmpty())
        assertTrue(log.findAll { it.startsWith('HAProxy change') }.isEmpty())
    }

    @Test
    void failedProxiesFailTheBuildNamingEachOfThem() {
        setHaproxyBehaviour = { Map args -> new FakeSetHaproxyResult(['haproxy-a', 'haproxy-b'], false) }
        String message = runJenkinsfileFailing(params(BACKEND: 'release-42', SERVER: SERVER, STATE: 'ready'))
        assertEquals("haproxyChange: state ready for release-42/${SERVER} failed on 2 proxies of stage-example: ".toString() +
                'us-ashburn-1 haproxy-a (failed: No such server.); us-ashburn-1 haproxy-b (failed: No such server.)', message)
        String summary = log.find { it.startsWith('HAProxy change') }
        assertTrue(summary, summary.contains('0 of 2 proxy changes ok'))
    }

    @Test
    void anAbortedBuildStopsAtOnce() {
        setHaproxyBehaviour = aborting()
        assertAbortStopsAtOnce(params(HEALTH: 'up'))
    }

    @Test
    void anEnvironmentWithoutASiteInTheLibraryFailsFirst() {
        String message = runJenkinsfileFailing(params(ENVIRONMENT: 'prod-nowhere', HEALTH: 'up'))
        assertTrue(message, message.startsWith("infraSite: name: the library has no site 'prod-nowhere'"))
        assertEquals(['libraryResource', 'error'], stepNames())
    }

    @Test
    void usesNoShellNoSleepNoNodeAndNoCredentialsBinding() {
        runJenkinsfile(params(HEALTH: 'up'))
        assertUsedOnly(['stage', 'libraryResource', 'lock', 'setHaproxy', 'echo'])
    }

    // ---- vars/haproxyChange.groovy called directly ----

    @Test
    void applyTakesAConfiguredSiteWithoutANode() {
        Map result = globalVar('haproxyChange').apply([site: 'prod-example'], environment: 'prod-example',
                backend: 'release-7', server: 'prod-example-uk-london-1-s1', weight: '10')
        assertEquals([[site: 'prod-example', backend: 'release-7', server: 'prod-example-uk-london-1-s1', weight: 10]],
                calls('setHaproxy').collect { it.args })
        assertEquals(['haproxy-state-prod-example'], calls('setHaproxy').collect { it.lock })
        assertEquals([false], calls('setHaproxy').collect { it.inNode })
        assertEquals('weight 10 for release-7/prod-example-uk-london-1-s1', result.change)
        assertEquals(true, result.ok)
        assertEquals(2, result.outcomes.size())
    }

    @Test
    void applyRejectsBadArgumentsBeforeTheLock() {
        def vars = globalVar('haproxyChange')
        assertEachFailsFirst([
                "haproxyChange.apply: unknown argument 'shard'; allowed: site, environment, backend, server, state, weight, health, force":
                        { vars.apply([site: ENV], environment: ENV, shard: SERVER, state: 'drain') },
                'haproxyChange.apply: site must be the Map returned by infraSite(...)':
                        { vars.apply(environment: ENV, health: 'up') },
                'haproxyChange.apply: give the site either as the first argument or as site:, not both':
                        { vars.apply([site: ENV], site: [site: ENV], environment: ENV, health: 'up') },
                'haproxyChange: invalid arguments:\n  haproxyChange.apply: state must be one of unchanged, ready, drain, maint':
                        { vars.apply([site: ENV], environment: ENV, backend: 'b', server: 's', state: 'DRAIN') },
                "haproxyChange.apply: site: its siteYaml describes site 'stage-example', not environment prod-example":
                        { vars.apply(STAGE_SITE, environment: 'prod-example', health: 'up') },
        ])
    }
}
