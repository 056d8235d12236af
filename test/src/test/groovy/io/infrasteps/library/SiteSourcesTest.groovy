package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.MissingContext
import org.junit.Test

/**
 * Where a site comes from decides whether a pipeline needs a node: with a site of the library
 * (siteYaml) or a configured one (site) every var runs its steps outside node, so long waits hold no
 * executor; with a site file in the workspace (siteFile) the steps run inside the node that holds it,
 * and fail outside one. Runs test/src/test/pipelines/everyVar.groovy.
 */
class SiteSourcesTest extends LibraryTestBase {

    static final List<String> PLUGIN_STEPS = ['setHaproxy', 'validateShard', 'waitHealthyShards', 'haproxyStatus']

    SiteSourcesTest() {
        jenkinsfile = 'everyVar.groovy'
    }

    Map everyVar(Object site, boolean inNode) {
        releaseShards = ["${STAGE}-us-ashburn-1-s1".toString()]
        return (Map) runJenkinsfile([SITE: site, IN_NODE: inNode, ENVIRONMENT: STAGE])
    }

    List<Map> pluginCalls() {
        return steps.findAll { PLUGIN_STEPS.contains(it.name) }
    }

    @Test
    void aLibrarySiteTakesNoNode() {
        Map out = everyVar(STAGE, false)
        assertEquals(PLUGIN_STEPS as Set, pluginCalls().collect { it.name } as Set)
        assertTrue(pluginCalls().every { it.args.siteYaml == STAGE_SITE.siteYaml && !it.args.containsKey('siteFile') })
        assertNoNode()
        assertEquals([true, true], [out.ga.ok, out.change.ok])
        assertJobStatusSuccess()
    }

    @Test
    void aConfiguredSiteTakesNoNode() {
        everyVar([configured: STAGE], false)
        assertEquals(PLUGIN_STEPS as Set, pluginCalls().collect { it.name } as Set)
        assertTrue(pluginCalls().every { it.args.site == STAGE })
        assertNoNode()
        assertJobStatusSuccess()
    }

    @Test
    void aSiteFileRunsEveryStepInsideTheNodeThatHoldsIt() {
        workspace['deploy/stage-example.yaml'] = siteText(STAGE)
        everyVar([file: 'deploy/stage-example.yaml'], true)
        assertEquals(1, calls('node').size())
        assertEquals(PLUGIN_STEPS as Set, pluginCalls().collect { it.name } as Set)
        assertTrue(pluginCalls().every { it.args.siteFile == 'deploy/stage-example.yaml' && it.inNode })
        assertJobStatusSuccess()
    }

    @Test
    void aSiteFileOutsideANodeFailsAsInJenkins() {
        workspace['deploy/stage-example.yaml'] = siteText(STAGE)
        try {
            everyVar([file: 'deploy/stage-example.yaml'], false)
            fail('a site file outside node should fail')
        } catch (MissingContext expected) {
            assertTrue(expected.message, expected.message.startsWith('fileExists: Required context class hudson.FilePath is missing'))
        }
        assertTrue(pluginCalls().isEmpty())
    }
}
