package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.FakeHaproxyStatusResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.Serialization
import io.infrasteps.library.test.StepFailure
import org.junit.Test

/** jenkinsfiles/monitor-haproxy.Jenkinsfile run end to end against recording step mocks, and vars/haproxyMonitor.groovy. */
class MonitorHaproxyTest extends LibraryTestBase {

    static final String ENV = STAGE
    static final String LOCK = STAGE_LOCK
    static final List<String> ALL = ['us-ashburn-1', 'eu-frankfurt-1']

    MonitorHaproxyTest() {
        jenkinsfile = 'jenkinsfiles/monitor-haproxy.Jenkinsfile'
    }

    /** The table the build printed. */
    String table() {
        return log.find { it.contains('(lock haproxy-state-stage-example)') }
    }

    /** The default status, changed for one region. */
    void inRegion(String region, Closure change) {
        haproxyStatusBehaviour = { Map args ->
            FakeHaproxyStatusResult r = FakeHaproxyStatusResult.healthy(args.regions as List)
            if (args.regions == [region]) {
                change.call(r)
            }
            return r
        }
    }

    @Test
    void readsEveryRegionInItsOwnBranchInsideTheLockWithoutANodeAndPrintsOneTable() {
        runJenkinsfile([ENVIRONMENT: ENV, REGIONS: 'all'])

        assertEquals(['libraryResource', 'stage', 'libraryResource', 'lock', 'parallel',
                      'haproxyStatus', 'haproxyStatus', 'echo', 'echo'], stepNames())
        assertEquals([ALL], calls('parallel').collect { it.args.branches })
        List<Map> reads = calls('haproxyStatus')
        assertEquals(ALL.collect { STAGE_SITE + [regions: [it], tolerateFailures: true] }, reads.collect { it.args })
        assertEquals(ALL, reads.collect { it.branch })
        assertTrue(reads.every { it.lock == LOCK })
        assertNoNode()

        assertEquals('HAProxy status in stage-example: 2 regions: 2 ok, 0 failed (at most 2 at once)\n' +
                '  us-ashburn-1    ok\n' +
                '  eu-frankfurt-1  ok', log[0])
        assertEquals('HAProxy status in stage-example (lock haproxy-state-stage-example): 2 regions, 2 proxies, 0 unreachable, 6 servers, 0 DOWN\n' +
                '  region          proxy      result  servers  ready  drain  maint  DOWN\n' +
                '  us-ashburn-1    haproxy-a  ok      3        2      1      0      0\n' +
                '  eu-frankfurt-1  haproxy-a  ok      3        2      1      0      0', log[1])
        assertJobStatusSuccess()
    }

    @Test
    void regionsCanBeChosenAndEmptyMeansAll() {
        runJenkinsfile([ENVIRONMENT: ENV, REGIONS: 'eu-frankfurt-1'])
        assertEquals([[['eu-frankfurt-1']]], calls('haproxyStatus').collect { [it.args.regions] })
        steps.clear()
        runJenkinsfile([ENVIRONMENT: ENV, REGIONS: ''])
        assertEquals(ALL, calls('haproxyStatus').collect { it.args.regions[0] })
        steps.clear()
        runJenkinsfile([ENVIRONMENT: ENV])
        assertEquals(ALL, calls('haproxyStatus').collect { it.args.regions[0] })
    }

    @Test
    void anUnreachableProxyFailsTheBuildAfterEveryRegionWasRead() {
        inRegion('us-ashburn-1') { FakeHaproxyStatusResult r -> r.unreachable('us-ashburn-1', 'haproxy-b', "connection refused\n(is HAProxy running?)") }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, REGIONS: 'all'])

        assertEquals(2, calls('haproxyStatus').size())
        assertEquals('haproxyMonitor: stage-example is not healthy: 1 proxy unreachable: ' +
                'us-ashburn-1 haproxy-b unreachable (connection refused (is HAProxy running?))', message)
        String table = table()
        assertTrue(table, table.contains('  us-ashburn-1    haproxy-b  UNREACHABLE  -        -      -      -      -'))
        assertTrue(table, table.endsWith('  UNREACHABLE us-ashburn-1 haproxy-b: connection refused (is HAProxy running?)'))
        assertTrue(locks.isEmpty())
    }

    @Test
    void aDownServerFailsTheBuildNamingItButMaintenanceDoesNot() {
        inRegion('eu-frankfurt-1') { FakeHaproxyStatusResult r ->
            r.set('stage-example-eu-frankfurt-1-s2', 'status', 'DOWN 1/2')
            r.server('eu-frankfurt-1', 'haproxy-a', 'release-40', 'stage-example-eu-frankfurt-1-s9', 'maint', 'stopped', 'MAINT', '-')
            r.server('eu-frankfurt-1', 'haproxy-a', 'release-40', 'stage-example-eu-frankfurt-1-s8', 'ready', 'stopped', '-', '-')
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, REGIONS: 'all'])
        assertEquals('haproxyMonitor: stage-example is not healthy: 2 servers DOWN: ' +
                'eu-frankfurt-1 haproxy-a release-41/stage-example-eu-frankfurt-1-s2 DOWN 1/2; ' +
                'eu-frankfurt-1 haproxy-a release-40/stage-example-eu-frankfurt-1-s8 -', message)
        String table = table()
        assertTrue(table, table.contains('  eu-frankfurt-1  haproxy-a  ok      5        3      1      1      2'))
        assertTrue(table, table.contains('  DOWN eu-frankfurt-1 haproxy-a release-41/stage-example-eu-frankfurt-1-s2: DOWN 1/2 (state drain, running, check L7OK)'))
    }

    @Test
    void aRegionThatCannotBeReadIsReportedAndTheOthersAreStillRead() {
        haproxyStatusBehaviour = { Map args ->
            if (args.regions == ['us-ashburn-1']) {
                throw new StepFailure("haproxyStatus: siteFile: regions: unknown region\nus-ashburn-1")
            }
            FakeHaproxyStatusResult.healthy(args.regions as List)
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, REGIONS: 'all'])
        assertEquals(2, calls('haproxyStatus').size())
        assertEquals('haproxyMonitor: stage-example is not healthy: 1 region not read: ' +
                'region us-ashburn-1 failed: haproxyStatus: siteFile: regions: unknown region us-ashburn-1', message)
        String table = table()
        assertTrue(table, table.contains('  us-ashburn-1    -          FAILED  -        -      -      -      -'))
        assertTrue(table, table.contains('  FAILED us-ashburn-1: haproxyStatus: siteFile: regions: unknown region us-ashburn-1'))
    }

    @Test
    void aStepReturningNothingCountsAsARegionNotRead() {
        inRegion('eu-frankfurt-1') { }
        haproxyStatusBehaviour = { Map args -> args.regions == ['eu-frankfurt-1'] ? null : FakeHaproxyStatusResult.healthy(args.regions as List) }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, REGIONS: 'all'])
        assertTrue(message, message.endsWith('region eu-frankfurt-1 failed: haproxyStatus returned no result for region eu-frankfurt-1'))
    }

    @Test
    void manyProblemsAreListedUpToTenThenCounted() {
        inRegion('us-ashburn-1') { FakeHaproxyStatusResult r ->
            (1..30).each { r.server('us-ashburn-1', 'haproxy-a', 'release-42', "stage-example-us-ashburn-1-s${it + 10}".toString(), 'ready', 'stopped', 'DOWN', 'L4CON') }
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, REGIONS: 'all'])
        assertTrue(message, message.startsWith('haproxyMonitor: stage-example is not healthy: 30 servers DOWN: '))
        assertTrue(message, message.endsWith('; and 20 more'))
        assertTrue(message, message.length() < 1000)
    }

    @Test
    void aRegionOutsideTheSiteFailsFirstNamingTheParameter() {
        String message = runJenkinsfileFailing([ENVIRONMENT: ENV, REGIONS: 'uk-london-1'])
        assertEquals("infraSite.regionsOf: REGIONS: uk-london-1 is not a region of stage-example; its regions: us-ashburn-1, eu-frankfurt-1 (or 'all')", message)
        assertEquals(['libraryResource', 'error'], stepNames())
    }

    @Test
    void everyInvalidParameterIsReportedAtOnceBeforeAnythingRuns() {
        String message = runJenkinsfileFailing([ENVIRONMENT: 'Stage', REGIONS: 'all us-ashburn-1'])
        assertEquals("haproxyMonitor: invalid build parameters:\n" +
                "  ENVIRONMENT must be a name matching [a-z0-9][a-z0-9-]{0,62} (lower-case ASCII letters, digits and '-', starting with a letter or digit, 1 to 63 characters); got 'Stage'\n" +
                "  REGIONS: 'all' means every region; give it alone or name regions", message)
        assertEquals(['error'], stepNames())
    }

    @Test
    void anAbortedBuildStopsAtOnce() {
        haproxyStatusBehaviour = aborting()
        assertAbortStopsAtOnce([ENVIRONMENT: ENV, REGIONS: 'all'])
        assertEquals(1, calls('haproxyStatus').size())
    }

    @Test
    void usesNoShellNoSleepNoNodeAndNoCredentialsBinding() {
        runJenkinsfile([ENVIRONMENT: ENV, REGIONS: 'all'])
        assertUsedOnly(['libraryResource', 'stage', 'lock', 'parallel', 'haproxyStatus', 'echo'])
    }

    // ---- vars/haproxyMonitor.groovy called directly ----

    @Test
    void checkReadsAConfiguredSiteWithoutANodeAndBoundsTheRegionsAtOnce() {
        Map result = globalVar('haproxyMonitor').check([site: 'prod-example'], environment: 'prod-example',
                regions: ['us-phoenix-1', 'uk-london-1', 'eu-frankfurt-1'], maxParallel: 2)
        assertEquals([['us-phoenix-1', 'uk-london-1'], ['eu-frankfurt-1']], calls('parallel').collect { it.args.branches })
        assertEquals([[site: 'prod-example', regions: ['us-phoenix-1'], tolerateFailures: true]], calls('haproxyStatus').take(1).collect { it.args })
        assertTrue(calls('haproxyStatus').every { !it.inNode && it.lock == 'haproxy-state-prod-example' })
        assertEquals(true, result.ok)
        assertEquals(['us-phoenix-1', 'uk-london-1', 'eu-frankfurt-1'], result.regions.collect { it.region })
        assertEquals(3, result.regions[0].value.servers.size())
        assertEquals(result, Serialization.roundTrip(result))
    }

    @Test
    void checkRejectsBadArgumentsBeforeTheLock() {
        def vars = globalVar('haproxyMonitor')
        assertEachFailsFirst([
                "haproxyMonitor.check: unknown argument 'region'; allowed: site, environment, regions, maxParallel":
                        { vars.check([site: ENV], environment: ENV, region: 'us-ashburn-1') },
                'haproxyMonitor.check: site must be a whole site':
                        { vars.check([site: ENV, regions: ['us-ashburn-1']], environment: ENV, regions: ['us-ashburn-1']) },
                'haproxyMonitor.check: regions is empty':
                        { vars.check([site: ENV], environment: ENV, regions: []) },
                "haproxyMonitor.check: regions must be region names, each matching [a-z0-9][a-z0-9-]{0,62}":
                        { vars.check([site: ENV], environment: ENV, regions: ['../x']) },
                'haproxyMonitor.check: maxParallel must be':
                        { vars.check([site: ENV], environment: ENV, regions: ['us-ashburn-1'], maxParallel: 0) },
                'haproxyMonitor.check: environment is required':
                        { vars.check([site: ENV], regions: ['us-ashburn-1']) },
                "haproxyMonitor.check: site: its siteYaml describes site 'stage-example', not environment prod-example":
                        { vars.check(STAGE_SITE, environment: 'prod-example', regions: ['us-ashburn-1']) },
        ])
    }
}
