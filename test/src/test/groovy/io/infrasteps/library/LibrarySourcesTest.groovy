package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import io.infrasteps.library.test.RepositoryRoot
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.Phases
import org.codehaus.groovy.control.customizers.ImportCustomizer
import org.junit.Test

/**
 * Compiles the library's sources with Groovy 2.4.21 in memory (never onto the test classpath, where
 * a compiled var would shadow the one JenkinsPipelineUnit loads), and checks the help files.
 */
class LibrarySourcesTest {

    static File root = RepositoryRoot.dir()

    static List<File> groovyFiles(String dir) {
        List<File> files = []
        File base = new File(root, dir)
        if (base.isDirectory()) {
            base.eachFileRecurse { File f -> if (f.isFile() && f.name.endsWith('.groovy')) files << f }
        }
        return files.sort { it.path }
    }

    static List<File> jenkinsfiles() {
        return (new File(root, 'jenkinsfiles').listFiles() ?: new File[0]).findAll { it.isFile() && it.name.endsWith('.Jenkinsfile') }.sort { it.name }
    }

    /** Compiles the files together to class generation (nothing is written); returns the error text or null. */
    static String compile(List<File> files, boolean jenkinsfile) {
        CompilerConfiguration config = new CompilerConfiguration()
        if (jenkinsfile) {
            // Jenkins imports the @Library annotation implicitly.
            config.addCompilationCustomizers(new ImportCustomizer().addImport('Library', 'com.lesfurets.jenkins.unit.global.lib.Library'))
        }
        return compile(files, config, new GroovyClassLoader(LibrarySourcesTest.classLoader, config))
    }

    /** Compiles the files together with this configuration and class loader; returns the error text or null. */
    static String compile(List<File> files, CompilerConfiguration config, GroovyClassLoader loader) {
        CompilationUnit unit = new CompilationUnit(config, null, loader)
        files.each { unit.addSource(it) }
        try {
            unit.compile(Phases.CLASS_GENERATION)
            return null
        } catch (Exception e) {
            return e.message
        }
    }

    @Test
    void theLibraryHasItsParts() {
        assertTrue(new File(root, 'vars/infraSite.groovy').isFile())
        assertTrue(new File(root, 'vars/shardStates.groovy').isFile())
        assertTrue(new File(root, 'jenkinsfiles/reconfigure-shard-states.Jenkinsfile').isFile())
        // The compile, help and ASCII checks below walk these folders, so they cover every new file.
        assertTrue(groovyFiles('vars')*.name.containsAll(['shardValidation.groovy', 'setReleaseGa.groovy', 'multiRegion.groovy', 'infraArguments.groovy',
                                                          'haproxyChange.groovy', 'haproxyMonitor.groovy']))
        assertTrue(groovyFiles('src')*.name.containsAll(['Checks.groovy', 'Summaries.groovy', 'StepResults.groovy', 'SiteOutline.groovy']))
        assertTrue(jenkinsfiles()*.name.containsAll(['validate-shards.Jenkinsfile', 'set-release-ga.Jenkinsfile',
                                                     'reconfigure-haproxy.Jenkinsfile', 'monitor-haproxy.Jenkinsfile']))
        assertTrue(new File(root, 'jobs/seed.groovy').isFile())
        // The GA var is setReleaseGa (issue 6); no alias under its old name.
        assertFalse(new File(root, 'vars/releaseGa.groovy').exists() || new File(root, 'vars/releaseGa.txt').exists())
        assertFalse('vars must not be on the test classpath', LibrarySourcesTest.classLoader.getResource('infraSite.class') != null)
    }

    @Test
    void srcAndVarsCompileTogether() {
        List<File> files = groovyFiles('src') + groovyFiles('vars')
        assertTrue(files.size() >= 4)
        String error = compile(files, false)
        if (error) {
            fail("src/ and vars/ do not compile:\n${error}")
        }
    }

    @Test
    void everyVarCompilesAlongsideSrc() {
        groovyFiles('vars').each { File var ->
            String error = compile(groovyFiles('src') + [var], false)
            if (error) {
                fail("${var.name} does not compile:\n${error}")
            }
        }
    }

    @Test
    void everyJenkinsfileCompiles() {
        List<File> files = jenkinsfiles()
        assertTrue(files.size() >= 1)
        files.each { File f ->
            String error = compile([f], true)
            if (error) {
                fail("${f.name} does not compile:\n${error}")
            }
        }
    }

    @Test
    void aBrokenFileIsReported() {
        File broken = File.createTempFile('broken', '.groovy')
        try {
            broken.text = 'def call(Map args) {\n  echo("unclosed"\n}\n'
            assertTrue(compile([broken], false) != null)
        } finally {
            broken.delete()
        }
    }

    @Test
    void everyVarHasAnHtmlHelpFragment() {
        groovyFiles('vars').each { File var ->
            File help = new File(var.parentFile, var.name.replace('.groovy', '.txt'))
            assertTrue("${help.name} is missing".toString(), help.isFile())
            String text = help.getText('UTF-8').trim()
            assertTrue("${help.name} is not an HTML fragment".toString(), text.startsWith('<'))
            assertFalse(help.name, text.toLowerCase().contains('<html') || text.toLowerCase().contains('<body') || text.toLowerCase().contains('<script'))
            // Well-formed: Jenkins renders it as an HTML fragment; keep it XHTML so any renderer copes.
            try {
                new XmlSlurper().parseText("<div>${text}</div>")
            } catch (Exception e) {
                fail("${help.name} is not well-formed: ${e.message}")
            }
            String name = var.name - '.groovy'
            assertTrue("${help.name} shows no example of ${name}".toString(), text.contains("${name}(") || text.contains("${name}."))
        }
    }

    @Test
    void everyJenkinsfileLoadsTheLibraryExplicitly() {
        jenkinsfiles().each { File f ->
            assertTrue(f.name, f.getText('UTF-8').readLines().any { it.trim() == "@Library('infra-steps') _" })
        }
    }

    @Test
    void sourcesAreAsciiWithUnixLineEnds() {
        (groovyFiles('src') + groovyFiles('vars') + jenkinsfiles() + groovyFiles('jobs')).each { File f ->
            byte[] bytes = f.bytes
            bytes.eachWithIndex { byte b, int i ->
                if (b < 0 || b == 13) {
                    fail("${f.name}: byte ${b & 0xff} at ${i}")
                }
            }
            assertEquals(f.name, 10, bytes[bytes.length - 1])
        }
    }
}
