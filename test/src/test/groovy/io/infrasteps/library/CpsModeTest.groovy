package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.SerializingCpsHelper
import io.infrasteps.library.test.FakeSetHaproxyResult
import io.infrasteps.library.test.LibraryTestBase
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
}
