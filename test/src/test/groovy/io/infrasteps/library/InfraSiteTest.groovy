package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.MissingContext
import io.infrasteps.library.test.Serialization
import org.junit.Test

/** vars/infraSite.groovy: every form, and every invalid argument rejected before a file is touched. */
class InfraSiteTest extends LibraryTestBase {

    static final List<String> FILE_STEPS = ['libraryResource', 'writeFile', 'fileExists', 'readFile']

    def infraSite(Object spec) {
        return globalVar('infraSite').call(spec)
    }

    /** infraSite(file: ...) looks for the file, so it runs inside node, as a pipeline calls it. */
    def infraSiteInNode(Object spec) {
        nodeDepth++
        try {
            return infraSite(spec)
        } finally {
            nodeDepth--
        }
    }

    String infraSiteFailing(Object spec) {
        return failing { infraSiteInNode(spec) }
    }

    void assertNoFileTouched() {
        FILE_STEPS.each { String step -> assertEquals("${step} ran".toString(), 0, calls(step).size()) }
    }

    @Test
    void aLibrarySiteByNameIsItsYamlTextAndNeedsNoNode() {
        Map ref = infraSite('stage-example')
        assertEquals([siteYaml: libraryResourceFile('sites/stage-example.yaml').getText('UTF-8')], ref)
        assertEquals(STAGE_SITE, ref)
        assertEquals(ref, Serialization.roundTrip(ref))
        assertEquals(['libraryResource'], stepNames())
        assertEquals('sites/stage-example.yaml', calls('libraryResource')[0].args)
        assertNoNode()
        assertTrue('nothing is written to a workspace', workspace.isEmpty())
    }

    @Test
    void theNamedFormIsTheSameAsThePositionalOne() {
        assertEquals(infraSite('stage-example'), infraSite(name: 'stage-example'))
        assertEquals(STAGE_SITE, infraSite(name: "${'stage'}-example"))
    }

    @Test
    void aWorkspaceFileIsCheckedAndReferencedAsIs() {
        workspace['deploy/sites/stage-example.yaml'] = 'name: stage-example\n'
        assertEquals([siteFile: 'deploy/sites/stage-example.yaml'], infraSiteInNode(file: 'deploy/sites/stage-example.yaml'))
        assertEquals(['fileExists'], stepNames())
        workspace['.infra/stage-example.yml'] = 'name: stage-example\n'
        assertEquals([siteFile: '.infra/stage-example.yml'], infraSiteInNode(file: '.infra/stage-example.yml'))
    }

    @Test
    void aWorkspaceFileNeedsANode() {
        workspace['deploy/sites/stage-example.yaml'] = 'name: stage-example\n'
        try {
            infraSite(file: 'deploy/sites/stage-example.yaml')
            fail('fileExists outside node should fail, as in Jenkins')
        } catch (MissingContext expected) {
            assertTrue(expected.message, expected.message.startsWith('fileExists: Required context class hudson.FilePath is missing'))
        }
    }

    @Test
    void aMissingWorkspaceFileFailsNamingIt() {
        String message = infraSiteFailing(file: 'deploy/site.yml')
        assertEquals("infraSite: file: no site file 'deploy/site.yml' in the workspace; check out the repository " +
                "holding it first, or use infraSite('<name>') for a site shipped with the library", message)
        assertEquals(['fileExists', 'error'], stepNames())
    }

    @Test
    void aConfiguredSiteIsReferencedByNameWithoutAWorkspace() {
        assertEquals([site: 'prod-example'], infraSite(configured: 'prod-example'))
        assertEquals([], stepNames())
    }

    @Test
    void regionsRestrictEveryForm() {
        assertEquals([site: 'prod-example', regions: ['us-ashburn-1', 'eu-frankfurt-1']],
                infraSite(configured: 'prod-example', regions: ['us-ashburn-1', 'eu-frankfurt-1', 'us-ashburn-1']))
        assertEquals(STAGE_SITE + [regions: ['uk-london-1']], infraSite(name: 'stage-example', regions: 'uk-london-1'))
    }

    @Test
    void theReferenceCombinesWithStepArguments() {
        Map ref = infraSite('stage-example')
        Map args = ref + [shard: 'stage-example-us-ashburn-1-s1', state: 'drain']
        assertEquals(STAGE_SITE + [shard: 'stage-example-us-ashburn-1-s1', state: 'drain'], args)
    }

    @Test
    void aSiteMissingFromTheLibraryFailsNamingIt() {
        String message = infraSiteFailing('prod-nowhere')
        assertEquals("infraSite: name: the library has no site 'prod-nowhere' (resources/sites/prod-nowhere.yaml): " +
                'No such library resource sites/prod-nowhere.yaml could be found.', message)
    }

    @Test
    void aLibrarySiteWhoseNameDiffersFromItsFileIsRejected() {
        // The test fixture resources/sites/stage-mismatch.yaml describes stage-other.
        String message = infraSiteFailing('stage-mismatch')
        assertEquals("infraSite: name: resources/sites/stage-mismatch.yaml describes site 'stage-other', not 'stage-mismatch'; " +
                'its top-level name: must match the file name', message)
        assertEquals(['libraryResource', 'error'], stepNames())
    }

    @Test
    void hostileNamesFailNamingTheArgumentBeforeAnyFileIsTouched() {
        List<Object> hostile = ['', ' ', '..', '../stage-example', 'sites/../../etc/passwd', '/etc/passwd',
                                'stage/example', 'stage example', 'stage-example\n', 'a;b', 'stagé', 'x' * 64,
                                'x' * 10000, 'Stage', '-x', 'x\u0000', null]
        hostile.each { Object name ->
            steps.clear()
            String positional = infraSiteFailing(name)
            assertTrue(positional, positional.startsWith('infraSite: name '))
            String named = infraSiteFailing(name: name)
            assertTrue(named, named.startsWith('infraSite: name '))
            String configured = infraSiteFailing(configured: name)
            assertTrue(configured, configured.startsWith('infraSite: configured '))
            [positional, named, configured].each { String m ->
                assertTrue(m, m.contains('[a-z0-9][a-z0-9-]{0,62}'))
                assertTrue(m, m.length() < 400)
            }
            assertNoFileTouched()
        }
    }

    @Test
    void hostileFilePathsFailNamingTheArgumentBeforeAnyFileIsTouched() {
        ['', '../site.yaml', 'sites/../../site.yaml', '/etc/site.yaml', './site.yaml', 'sites//site.yaml',
         'sites/./site.yaml', 'site.yaml/', 'site.txt', 'site', 'sites\\site.yaml', 'si te.yaml', 'site.yaml;id',
         'site.yaml\n', 'sité.yaml', '.', '..', '../', 'a/../site.yaml', '~/site.yaml', '$HOME/site.yaml', ('d/' * 130) + 'site.yaml', null].each { Object path ->
            steps.clear()
            String message = infraSiteFailing(file: path)
            assertTrue("${path}: ${message}".toString(), message.startsWith('infraSite: file '))
            assertTrue(message, message.length() < 500)
            assertNoFileTouched()
        }
    }

    @Test
    void hostileRegionsFailNamingTheArgument() {
        [[], '', ['us-ashburn-1', '../x'], ['US-ASHBURN-1'], [''], ['a;b'], [null], 42].each { Object regions ->
            steps.clear()
            String message = infraSiteFailing(configured: 'stage-example', regions: regions)
            assertTrue("${regions}: ${message}".toString(), message.startsWith('infraSite: regions '))
            assertNoFileTouched()
        }
    }

    @Test
    void malformedArgumentsAreRejectedWithTheAllowedForms() {
        assertEquals("infraSite: unknown argument 'site'; allowed: name, file, configured, regions",
                infraSiteFailing(site: 'stage-example'))
        assertEquals('infraSite needs exactly one of name:, file: or configured:; got name, configured',
                infraSiteFailing(name: 'stage-example', configured: 'stage-example'))
        assertEquals('infraSite needs exactly one of name:, file: or configured:; got none',
                infraSiteFailing([:]))
        assertEquals('infraSite takes a site name or a map (name:, file: or configured:, optional regions:); got a value of type Integer',
                infraSiteFailing(42))
        assertTrue(infraSiteFailing(name: 42).startsWith('infraSite: name must be a name matching [a-z0-9][a-z0-9-]{0,62}; got a value of type Integer'))
        assertNoFileTouched()
    }

    // ---- infraSite.describe and infraSite.regionsOf: the site's regions before any node ----

    @Test
    void describeReadsNameRegionsAndProtectedWithoutANode() {
        Map site = globalVar('infraSite').describe('stage-example')
        assertEquals([name: 'stage-example', regions: ['us-ashburn-1', 'eu-frankfurt-1'], protected: false], site)
        assertEquals(site, Serialization.roundTrip(site))
        assertEquals(['libraryResource'], stepNames())
    }

    @Test
    void describeFailsForAMismatchedMissingOrUnreadableSite() {
        def infraSite = globalVar('infraSite')
        assertTrue(failing { infraSite.describe('stage-mismatch') }.startsWith("infraSite: name: resources/sites/stage-mismatch.yaml describes site 'stage-other'"))
        assertTrue(failing { infraSite.describe('prod-nowhere') }.startsWith("infraSite: name: the library has no site 'prod-nowhere'"))
        steps.clear()
        assertTrue(failing { infraSite.describe('../x') }.startsWith('infraSite.describe: name must be a name matching'))
        assertEquals(['error'], stepNames())
    }

    @Test
    void regionsOfSelectsAllOrTheNamedRegionsInTheSitesOrder() {
        def infraSite = globalVar('infraSite')
        List<String> all = ['us-ashburn-1', 'eu-frankfurt-1']
        [null, '', 'all', [], ['all']].each { Object requested ->
            assertEquals(requested.toString(), all, infraSite.regionsOf('stage-example', requested, 'REGIONS'))
        }
        assertEquals(all, infraSite.regionsOf('stage-example', 'eu-frankfurt-1,us-ashburn-1', 'REGIONS'))
        assertEquals(['eu-frankfurt-1'], infraSite.regionsOf('stage-example', ['eu-frankfurt-1', 'eu-frankfurt-1'], 'REGIONS'))
        assertTrue(calls('node').isEmpty())
    }

    @Test
    void regionsOfFailsNamingTheParameterAndListingTheSitesRegions() {
        def infraSite = globalVar('infraSite')
        assertEquals("infraSite.regionsOf: REGIONS: ap-tokyo-1, uk-london-1 are not regions of stage-example; " +
                "its regions: us-ashburn-1, eu-frankfurt-1 (or 'all')",
                failing { infraSite.regionsOf('stage-example', 'us-ashburn-1 ap-tokyo-1 uk-london-1', 'REGIONS') })
        steps.clear()
        String message = failing { infraSite.regionsOf('stage-example', 'us-ashburn-1\n[Pipeline] echo forged', 'TARGET_REGIONS') }
        assertTrue(message, message.startsWith("infraSite.regionsOf: TARGET_REGIONS must be 'all' or region names separated by spaces or commas, each matching"))
        assertTrue(message, message.contains("got 'us-ashburn-1\\n[Pipeline]"))
        assertEquals(['error'], stepNames())
    }
}
