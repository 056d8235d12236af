package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue

import io.infrasteps.library.test.CpsRules
import io.infrasteps.library.test.RepositoryRoot
import org.junit.Test

/** The static CPS and safety rules (see CpsRules) hold for vars/, jenkinsfiles/ and src/. */
class SourceRulesTest {

    static File root = RepositoryRoot.dir()

    @Test
    void varsAndJenkinsfilesFollowTheCpsRules() {
        List<File> files = LibrarySourcesTest.groovyFiles('vars') + LibrarySourcesTest.jenkinsfiles()
        assertTrue(files*.name.containsAll(['shardValidation.groovy', 'setReleaseGa.groovy', 'infraArguments.groovy', 'validate-shards.Jenkinsfile',
                                            'set-release-ga.Jenkinsfile', 'reconfigure-shard-states.Jenkinsfile',
                                            'multiRegion.groovy', 'haproxyChange.groovy', 'haproxyMonitor.groovy',
                                            'reconfigure-haproxy.Jenkinsfile', 'monitor-haproxy.Jenkinsfile']))
        List<String> violations = files.collectMany { CpsRules.check(it, false) }
        assertEquals('', violations.join('\n'))
    }

    @Test
    void srcClassesArePureNonCpsHelpers() {
        List<File> files = LibrarySourcesTest.groovyFiles('src')
        assertTrue(files*.name.containsAll(['Checks.groovy', 'Summaries.groovy', 'StepResults.groovy', 'SiteOutline.groovy']))
        List<String> violations = files.collectMany { CpsRules.check(it, true) }
        assertEquals('', violations.join('\n'))
    }

    @Test
    void theRulesCatchEachKindOfViolation() {
        File bad = File.createTempFile('bad', '.groovy')
        try {
            bad.text = '''
                import com.cloudbees.groovy.cps.NonCPS
                def call(List shards, String s) {
                    def m = (s =~ /x/)
                    def it = shards.iterator()
                    for (String x in shards) { echo(x) }
                    shards.each { echo(it) }
                    sh 'haproxy -c'
                    sleep 60
                    def j = new groovy.json.JsonSlurper()
                    String p = 'password=hunter2hunter2'
                    lock('haproxy-state-x') { echo('fine') }
                    multiRegion(shards) { String r -> echo(r) }
                    for (int i = 0; i < shards.size(); i++) { echo(shards[i]) }
                }
                Closure regionBranch(String region) {
                    return { echo(region) }
                }
                Closure regionMaker(String region) {
                    return { echo(region) }
                }
                Closure otherBranch(String region) {
                    Closure c = { echo(region) }
                    return c
                }
                @NonCPS
                String helper(String s, int max = 3) {
                    def m = (s =~ /x/)
                    shards.each { it }
                    echo('no steps here')
                    return m ? 'y' : 'n'
                }
            '''.stripIndent()
            List<String> found = CpsRules.check(bad, false)
            List<String> expected = ["'=~'", 'iterator()', 'for-in loop', 'closure outside a block step', 'sh is not used',
                                     'sleep is not used', 'JsonSlurper', 'looks like a secret', 'step echo called from @NonCPS',
                                     'default argument values']
            expected.each { String what -> assertTrue("not caught: ${what} in ${found}".toString(), found.any { it.contains(what) }) }
            // The closures passed to each, returned by regionMaker (not a *Branch method) and assigned in otherBranch.
            assertEquals(found.join('\n'), 3, found.count { it.contains('closure outside a block step') })
            assertTrue(found.join('\n'), found.any { it.contains('regionMaker: closure outside a block step') })
            assertTrue(found.join('\n'), found.any { it.contains('otherBranch: closure outside a block step') })
            assertEquals(found.join('\n'), expected.size() + 2, found.size())
            assertTrue(CpsRules.check(bad, true).any { it.contains('methods of src/ classes must be static and @NonCPS') })
        } finally {
            bad.delete()
        }
    }
}
