package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.SerializingCpsHelper
import io.infrasteps.library.test.FakeHaproxyStatusResult
import io.infrasteps.library.test.FakeSetHaproxyResult
import io.infrasteps.library.test.FakeValidationResult
import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.StepFailure
import org.junit.Test

/**
 * The Jenkinsfile and the library in JenkinsPipelineUnit's CPS mode: scripts are CPS-transformed
 * (groovy-cps) and the whole continuation, locals included, is Java-serialized at every step.
 */
class CpsModeTest extends LibraryTestBase {

    CpsModeTest() {
        helper = new SerializingCpsHelper()
    }

    @Test
    void theHappyPathSerializesAtEveryStep() {
        runJenkinsfile([ENVIRONMENT: 'stage-example', SHARDS_READY: 'stage-example-us-ashburn-1-s2',
                        SHARDS_DRAIN: 'stage-example-us-ashburn-1-s1,stage-example-eu-frankfurt-1-s1', FORCE: true])
        assertEquals([['stage-example-us-ashburn-1-s2', 'ready'], ['stage-example-us-ashburn-1-s1', 'drain'],
                      ['stage-example-eu-frankfurt-1-s1', 'drain']],
                calls('setHaproxy').collect { [it.args.shard, it.args.state] })
        assertTrue(calls('setHaproxy').every { it.lock == 'haproxy-state-stage-example' })
        assertJobStatusSuccess()
        // Stepped through the Jenkinsfile and the vars, saving the state at each CPS step.
        int states = ((SerializingCpsHelper) helper).serializedStates
        assertTrue("only ${states} states saved".toString(), states > 50)
    }

    @Test
    void failuresSerializeAtEveryStep() {
        setHaproxyBehaviour = { Map args ->
            if (args.state == 'ready') {
                throw new IOException('refused')
            }
            new FakeSetHaproxyResult(['a'], true)
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: 'stage-example', SHARDS_READY: 'stage-example-us-ashburn-1-s2',
                                                SHARDS_DRAIN: 'stage-example-us-ashburn-1-s1'])
        assertTrue(message, message.contains('ready stage-example-us-ashburn-1-s2 (refused)'))
    }

    @Test
    void invalidParametersFailInCpsModeToo() {
        String message = runJenkinsfileFailing([ENVIRONMENT: '../x', SHARDS_READY: '', SHARDS_DRAIN: ''])
        assertTrue(message, message.contains('ENVIRONMENT must be a name'))
        assertEquals(['error'], stepNames())
    }

    int savedStates() {
        return ((SerializingCpsHelper) helper).serializedStates
    }

    @Test
    void validateShardsOfAReleaseSerializesAtEveryStep() {
        jenkinsfile = 'jenkinsfiles/validate-shards.Jenkinsfile'
        releaseShards = ['stage-example-us-ashburn-1-s1', 'stage-example-eu-frankfurt-1-s1']
        runJenkinsfile([ENVIRONMENT: 'stage-example', SHARDS: '', RELEASE_NUMBER: '42', WAIT_MINUTES: '30'])
        assertEquals([STAGE_SITE + [release: 42, timeoutMinutes: 30]],
                calls('waitHealthyShards').collect { it.args })
        assertEquals([releaseShards], calls('validateShard').collect { it.args.shards })
        assertJobStatusSuccess()
        assertTrue("only ${savedStates()} states saved".toString(), savedStates() > 50)
    }

    @Test
    void validateShardsFailuresSerializeAtEveryStep() {
        jenkinsfile = 'jenkinsfiles/validate-shards.Jenkinsfile'
        validateShardBehaviour = { Map args ->
            FakeValidationResult.of(args.shards as List, ['stage-example-us-ashburn-1-s2': [sidecar: 'healthy is false']])
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: 'stage-example',
                                                SHARDS: 'stage-example-us-ashburn-1-s1 stage-example-us-ashburn-1-s2'])
        assertEquals('shardValidation: 1 of 2 shards failed validation in stage-example: ' +
                'stage-example-us-ashburn-1-s2 (sidecar: healthy is false)', message)
        assertTrue(log.any { it.startsWith('Shard validation in stage-example: 2 shards, 1 passed, 1 failed') })
    }

    @Test
    void aWaitTimeoutPropagatesInCpsModeToo() {
        jenkinsfile = 'jenkinsfiles/validate-shards.Jenkinsfile'
        waitHealthyShardsBehaviour = { Map args -> throw new StepFailure('not healthy after 20 minutes: stage-example-us-ashburn-1-s1: not registered') }
        Throwable thrown = runJenkinsfileThrowing([ENVIRONMENT: 'stage-example', RELEASE_NUMBER: '42'])
        assertEquals('not healthy after 20 minutes: stage-example-us-ashburn-1-s1: not registered', thrown.message)
        assertTrue(calls('validateShard').isEmpty())
    }

    @Test
    void setReleaseGaSerializesAtEveryStep() {
        jenkinsfile = 'jenkinsfiles/set-release-ga.Jenkinsfile'
        runJenkinsfile([ENVIRONMENT: 'stage-example', RELEASE_NUMBER: '42', FORCE: true])
        assertEquals([STAGE_SITE + [liveRelease: 42, force: true]], calls('setHaproxy').collect { it.args })
        assertEquals(['haproxy-state-stage-example'], calls('setHaproxy').collect { it.lock })
        assertJobStatusSuccess()
        assertTrue("only ${savedStates()} states saved".toString(), savedStates() > 30)
    }

    @Test
    void setReleaseGaRefusalsAndFailuresSerializeAtEveryStep() {
        jenkinsfile = 'jenkinsfiles/set-release-ga.Jenkinsfile'
        setHaproxyBehaviour = { Map args -> throw new StepFailure('refusing to make release 42 GA: unhealthy shards [stage-example-us-ashburn-1-s3]') }
        Throwable thrown = runJenkinsfileThrowing([ENVIRONMENT: 'stage-example', RELEASE_NUMBER: '42'])
        assertEquals('refusing to make release 42 GA: unhealthy shards [stage-example-us-ashburn-1-s3]', thrown.message)

        steps.clear()
        setHaproxyBehaviour = { Map args -> new FakeSetHaproxyResult(['haproxy-a'], false) }
        String message = runJenkinsfileFailing([ENVIRONMENT: 'stage-example', RELEASE_NUMBER: '42'])
        assertTrue(message, message.startsWith('setReleaseGa: release-42 is not live on every proxy of stage-example: 1 failed'))
    }

    @Test
    void invalidParametersOfTheReleasePipelinesFailInCpsModeToo() {
        jenkinsfile = 'jenkinsfiles/validate-shards.Jenkinsfile'
        String message = runJenkinsfileFailing([ENVIRONMENT: 'stage-example', RELEASE_NUMBER: '-1'])
        assertTrue(message, message.contains('RELEASE_NUMBER must be a release number'))
        jenkinsfile = 'jenkinsfiles/set-release-ga.Jenkinsfile'
        message = runJenkinsfileFailing([ENVIRONMENT: 'stage-example', RELEASE_NUMBER: '4\n2'])
        assertTrue(message, message.contains("RELEASE_NUMBER must be a release number"))
        assertEquals(['error', 'error'], stepNames())
    }

    @Test
    void monitorHaproxySerializesAtEveryStepAcrossTheParallelBranches() {
        jenkinsfile = 'jenkinsfiles/monitor-haproxy.Jenkinsfile'
        runJenkinsfile([ENVIRONMENT: 'stage-example', REGIONS: 'all'])
        assertEquals([['us-ashburn-1', 'eu-frankfurt-1']], calls('parallel').collect { it.args.branches })
        assertEquals(['us-ashburn-1', 'eu-frankfurt-1'], calls('haproxyStatus').collect { it.branch })
        assertTrue(calls('haproxyStatus').every { it.lock == 'haproxy-state-stage-example' })
        assertNoNode()
        assertTrue(log[1], log[1].startsWith('HAProxy status in stage-example (lock haproxy-state-stage-example): 2 regions, 2 proxies, 0 unreachable, 6 servers, 0 DOWN'))

        assertJobStatusSuccess()
        assertTrue("only ${savedStates()} states saved".toString(), savedStates() > 100)
    }

    @Test
    void monitorHaproxyFailuresSerializeAtEveryStep() {
        jenkinsfile = 'jenkinsfiles/monitor-haproxy.Jenkinsfile'
        haproxyStatusBehaviour = { Map args ->
            if (args.regions == ['us-ashburn-1']) {
                throw new StepFailure('haproxyStatus: cannot read the site')
            }
            FakeHaproxyStatusResult.healthy(args.regions as List).unreachable('eu-frankfurt-1', 'haproxy-b', 'timed out')
        }
        String message = runJenkinsfileFailing([ENVIRONMENT: 'stage-example', REGIONS: ''])
        assertEquals('haproxyMonitor: stage-example is not healthy: 1 proxy unreachable, 1 region not read: ' +
                'region us-ashburn-1 failed: haproxyStatus: cannot read the site; eu-frankfurt-1 haproxy-b unreachable (timed out)', message)
    }

    /** Runs test/src/test/pipelines/multi-region.groovy: multiRegion called from CPS code. */
    Map multiRegion(List<String> regions, Map options, List<String> fail) {
        binding.setVariable('params', [REGIONS: regions, OPTIONS: options, FAIL: fail])
        return (Map) runScript('multi-region.groovy')
    }

    @Test
    void multiRegionWavesAndFailFastSerializeAtEveryStep() {
        List<String> three = ['us-ashburn-1', 'eu-frankfurt-1', 'uk-london-1']
        Map outcome = multiRegion(three, [maxParallel: 2, tolerateFailures: true], ['eu-frankfurt-1'])
        assertEquals([['us-ashburn-1', 'eu-frankfurt-1'], ['uk-london-1']], calls('parallel').collect { it.args.branches })
        assertEquals([12, null, 11], outcome.results.collect { it.value })
        assertEquals(['eu-frankfurt-1'], outcome.failed)
        assertTrue("only ${savedStates()} states saved".toString(), savedStates() > 50)

        steps.clear()
        String message = failing { multiRegion(three, [maxParallel: 2, failFast: true], three) }
        assertEquals('multiRegion: 1 of 3 regions failed: us-ashburn-1 (us-ashburn-1 refused). Aborted or not run: eu-frankfurt-1, uk-london-1', message)
        assertEquals([true], calls('parallel').collect { it.args.failFast })
    }

    @Test
    void reconfigureHaproxySerializesAtEveryStep() {
        jenkinsfile = 'jenkinsfiles/reconfigure-haproxy.Jenkinsfile'
        runJenkinsfile([ENVIRONMENT: 'stage-example', BACKEND: 'release-42', SERVER: 'stage-example-us-ashburn-1-s2',
                        STATE: 'drain', WEIGHT: '0', HEALTH: 'unchanged', REGIONS: 'eu-frankfurt-1', FORCE: true])
        assertEquals([STAGE_SITE + [regions: ['eu-frankfurt-1'], backend: 'release-42',
                       server: 'stage-example-us-ashburn-1-s2', state: 'drain', weight: 0, force: true]], calls('setHaproxy').collect { it.args })
        assertEquals(['haproxy-state-stage-example'], calls('setHaproxy').collect { it.lock })
        assertJobStatusSuccess()
        assertTrue("only ${savedStates()} states saved".toString(), savedStates() > 30)
    }

    @Test
    void reconfigureHaproxyFailuresAndBadParametersFailInCpsModeToo() {
        jenkinsfile = 'jenkinsfiles/reconfigure-haproxy.Jenkinsfile'
        setHaproxyBehaviour = { Map args -> new FakeSetHaproxyResult(['haproxy-a'], false) }
        String message = runJenkinsfileFailing([ENVIRONMENT: 'stage-example', HEALTH: 'down'])
        assertEquals('haproxyChange: health down on whole proxies failed on 1 proxy of stage-example: us-ashburn-1 haproxy-a (failed: No such server.)', message)

        steps.clear()
        message = runJenkinsfileFailing([ENVIRONMENT: 'stage-example', HEALTH: 'down', REGIONS: 'ap-tokyo-1'])
        assertTrue(message, message.startsWith('infraSite.regionsOf: REGIONS: ap-tokyo-1 is not a region of stage-example'))
        assertEquals(['libraryResource', 'error'], stepNames())
    }
}
