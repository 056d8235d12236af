package io.infrasteps.library

import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertFalse
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import io.infrasteps.library.test.LibraryTestBase
import io.infrasteps.library.test.PipelineError
import io.infrasteps.library.test.RecordingJobDsl
import io.infrasteps.library.test.StepFailure
import org.codehaus.groovy.control.CompilerConfiguration
import org.junit.Test

/**
 * jobs/: every script compiles, and the seed (jobs/seed.groovy) run against a recording Job DSL
 * (RecordingJobDsl) generates, for each site of resources/sites/, the folder, the jobs of every
 * family whose Jenkinsfile exists (typed parameters matching what the Jenkinsfile reads) and the
 * views; pending families are not generated; bad seed parameters and bad site files generate nothing.
 */
class JobDslSeedTest extends LibraryTestBase {

    static final File SEED = new File(RepositoryRootHolder.ROOT, 'jobs/seed.groovy')
    static final String URL = 'https://git.example.com/infra/infra-steps.git'
    static final String ENV = 'stage-example'

    /** The families of issue 6, all of them, available or pending. */
    static final List<String> ISSUE_FAMILIES = ['release-core', 'expand-release-core', 'recycle-release-core', 'set-release-ga',
                                                'destroy-release-core', 'provision-shard', 'destroy-shards', 'reconfigure-shard-states',
                                                'reconfigure-haproxy', 'monitor-haproxy', 'validate-shards', 'release-nomad-<service>']

    static final List<String> AVAILABLE = ['set-release-ga', 'reconfigure-shard-states', 'reconfigure-haproxy', 'monitor-haproxy',
                                           'validate-shards']

    /** Expected parameters per family: name, type and default (choices for choice parameters). */
    static final Map<String, List<List<Object>>> PARAMETERS = [
            'set-release-ga'          : [['ENVIRONMENT', 'choice', [ENV]], ['RELEASE_NUMBER', 'string', ''], ['FORCE', 'boolean', false]],
            'reconfigure-shard-states': [['ENVIRONMENT', 'choice', [ENV]], ['SHARDS_READY', 'string', ''], ['SHARDS_DRAIN', 'string', ''],
                                         ['FORCE', 'boolean', false]],
            'reconfigure-haproxy'     : [['ENVIRONMENT', 'choice', [ENV]], ['BACKEND', 'string', ''], ['SERVER', 'string', ''],
                                         ['STATE', 'choice', ['unchanged', 'ready', 'drain', 'maint']], ['WEIGHT', 'string', ''],
                                         ['HEALTH', 'choice', ['unchanged', 'up', 'down']],
                                         ['REGIONS', 'choice', ['all', 'us-ashburn-1', 'eu-frankfurt-1']], ['FORCE', 'boolean', false]],
            'monitor-haproxy'         : [['ENVIRONMENT', 'choice', [ENV]], ['REGIONS', 'choice', ['all', 'us-ashburn-1', 'eu-frankfurt-1']]],
            'validate-shards'         : [['ENVIRONMENT', 'choice', [ENV]], ['SHARDS', 'string', ''], ['RELEASE_NUMBER', 'string', ''],
                                         ['WAIT_MINUTES', 'string', '20']],
    ]

    /** Workspace files the seed reads, by path: the repository's, unless replaced here. */
    Map<String, String> replaced = [:]

    Closure<String> workspaceFiles() {
        return { String path ->
            if (replaced.containsKey(path)) {
                return replaced[path]
            }
            File file = new File(root, path)
            if (!file.canonicalPath.startsWith(root.canonicalPath + File.separator) || !file.isFile()) {
                throw new FileNotFoundException("no file ${path} in the workspace")
            }
            return file.getText('UTF-8')
        }
    }

    RecordingJobDsl seed(Map parameters) {
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, parameters, workspaceFiles())
        dsl.generate()
        return dsl
    }

    RecordingJobDsl seed() {
        return seed([REPOSITORY_URL: URL, BRANCH: 'main', CREDENTIALS_ID: '', SITES: ''])
    }

    /** The seed fails before generating anything; returns its message. */
    String seedFailing(Map parameters) {
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, parameters, workspaceFiles())
        try {
            dsl.generate()
        } catch (IllegalArgumentException e) {
            assertTrue(dsl.generatedFolders.isEmpty() && dsl.generatedJobs.isEmpty() && dsl.generatedViews.isEmpty())
            assertTrue(e.message, e.message.startsWith('seed: nothing was generated:\n  '))
            e.message.each { String c -> assertTrue("unescaped character ${(int) c.charAt(0)} in: ${e.message}".toString(), c == '\n' || (c >= ' ' && c <= '~')) }
            assertTrue(e.message, e.message.length() < 1000)
            return e.message
        }
        fail("the seed should have failed; generated ${dsl.generatedJobs.keySet()}")
        return null
    }

    static List<String> librarySites() {
        return new File(RepositoryRootHolder.ROOT, 'resources/sites').listFiles().findAll { it.name.endsWith('.yaml') }
                .collect { it.name - '.yaml' }.sort()
    }

    // ---- compiling ----

    /** Compiles a jobs/ script as Job DSL does, with the classpath entries given; returns the error text or null. */
    static String compileSeed(File script, List<String> classpath) {
        CompilerConfiguration config = new CompilerConfiguration()
        config.scriptBaseClass = RecordingJobDsl.name
        return LibrarySourcesTest.compile([script], config, RecordingJobDsl.seedClassLoader(classpath, config))
    }

    @Test
    void everyJobsScriptCompilesWithTheLibrarysSourcesOnTheSeedsClasspath() {
        List<File> files = LibrarySourcesTest.groovyFiles('jobs')
        assertTrue(files*.name.containsAll(['seed.groovy', 'NonCPS.groovy']))
        files.each { File f ->
            String error = compileSeed(f, RecordingJobDsl.CLASSPATH)
            if (error) {
                fail("${f.name} does not compile with ${RecordingJobDsl.CLASSPATH} on the classpath:\n${error}")
            }
        }
    }

    @Test
    void theSeedUsesTheLibrarysClassesNotACopy() {
        String text = SEED.getText('UTF-8')
        assertTrue(text.contains('import io.infrasteps.library.SiteOutline\n'))
        assertTrue(text.contains('SiteOutline.parse(readFileFromWorkspace(path), path)'))
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, [REPOSITORY_URL: URL], workspaceFiles())
        ['parseSite', 'siteItemKey', 'siteUnquote', 'siteLineWithoutComment', 'preview', 'nameForm'].each { String copy ->
            assertTrue("jobs/seed.groovy defines ${copy} again".toString(), dsl.getClass().getDeclaredMethods().every { it.name != copy })
        }
        // Without src/ the seed cannot be compiled; without the @NonCPS stand-in neither, where Job DSL
        // does not see Pipeline's classes (as here): both entries are needed.
        assertTrue(compileSeed(SEED, ['jobs/classpath']).contains('unable to resolve class io.infrasteps.library.SiteOutline'))
        assertTrue(compileSeed(SEED, ['src']).contains('com.cloudbees.groovy.cps.NonCPS'))
    }

    @Test
    void theGuideConfiguresTheSeedJobWithThisClasspathAndJobDslScriptSecurityOff() {
        String guide = new File(root, 'docs/release-manager-guide.md').getText('UTF-8')
        List<String> entries = (guide =~ /additionalClasspath\('([^']*)'\)/).collect { it[1] }
        assertEquals('one additionalClasspath in the JCasC seed job', 1, entries.size())
        assertEquals(RecordingJobDsl.CLASSPATH, entries[0].split(/\\n/) as List)
        assertTrue(guide.contains('useScriptSecurity: false'))
        assertTrue(guide.contains("external('jobs/seed.groovy')"))
    }

    // ---- what the seed generates ----

    @Test
    void sitesTxtListsEverySiteOfTheLibrary() {
        List<String> listed = new File(root, 'jobs/sites.txt').readLines().collect { it.replaceAll('#.*', '').trim() }.findAll { it }
        assertEquals('jobs/sites.txt and resources/sites/*.yaml differ', librarySites(), listed.sort())
    }

    @Test
    void generatesAFolderPerSiteWithTheAvailableFamiliesAndTheirViews() {
        RecordingJobDsl dsl = seed()

        assertEquals(librarySites(), dsl.generatedFolders.keySet() as List)
        assertEquals([displayName: ENV, description: 'Jobs of environment stage-example: regions us-ashburn-1, eu-frankfurt-1. ' +
                'Site: resources/sites/stage-example.yaml. Generated by jobs/seed.groovy: changes made here are overwritten.'],
                dsl.generatedFolders[ENV])
        assertEquals(AVAILABLE.collect { "${ENV}/${it}".toString() }, dsl.generatedJobs.keySet() as List)
        assertEquals(['jobs/sites.txt', 'resources/sites/stage-example.yaml'], dsl.filesRead)

        assertEquals(["${ENV}/provision-validate", "${ENV}/reconfigure-set", "${ENV}/monitor"]*.toString(), dsl.generatedViews.keySet() as List)
        assertEquals('(provision|validate)-.*', dsl.generatedViews["${ENV}/provision-validate".toString()].jobs.regex)
        assertEquals('(reconfigure|set)-.*', dsl.generatedViews["${ENV}/reconfigure-set".toString()].jobs.regex)
        assertEquals('(monitor)-.*', dsl.generatedViews["${ENV}/monitor".toString()].jobs.regex)
        dsl.generatedViews.values().each { Map view ->
            assertEquals(['status', 'weather', 'name', 'lastSuccess', 'lastFailure', 'lastDuration', 'buildButton'], view.columns)
            assertTrue(view.description.length() > 10)
        }
        // Every generated job is in exactly one generated view.
        dsl.generatedJobs.keySet().each { String job ->
            String name = job.substring(job.indexOf('/') + 1)
            assertEquals(job, 1, dsl.generatedViews.values().count { name ==~ it.jobs.regex })
        }
        assertTrue(dsl.printed.any { it.startsWith('seed: stage-example: 5 jobs (set-release-ga, reconfigure-shard-states, ') })
        assertTrue(dsl.printed.contains('seed: pending, not generated: provision-shard: needs the provisionShard step (issue 5)'))
    }

    @Test
    void eachJobHasTypedParametersAndRunsItsJenkinsfileFromTheRepository() {
        RecordingJobDsl dsl = seed([REPOSITORY_URL: URL, BRANCH: 'release/2024', CREDENTIALS_ID: 'git-read', SITES: ENV])
        AVAILABLE.each { String family ->
            Map job = dsl.generatedJobs["${ENV}/${family}".toString()]
            assertEquals(family, PARAMETERS[family], job.parameters.collect { [it.name, it.type, it.type == 'choice' ? it.choices : it.defaultValue] })
            job.parameters.each { Map p -> assertTrue("${family} ${p.name} has no description".toString(), p.description?.length() > 20) }

            Map cps = job.definition.cpsScm
            assertEquals("jenkinsfiles/${family}.Jenkinsfile".toString(), cps.scriptPath)
            assertTrue("${cps.scriptPath} does not exist".toString(), new File(root, cps.scriptPath).isFile())
            assertEquals(true, cps.lightweight)
            assertEquals([remote: [url: URL, credentials: 'git-read'], branch: 'release/2024'], cps.scm.git)
            assertTrue(job.description, job.description.contains("Runs jenkinsfiles/${family}.Jenkinsfile of ${URL} (release/2024)"))
        }
    }

    @Test
    void theDefaultsOfTheSeedParameters() {
        RecordingJobDsl dsl = seed([REPOSITORY_URL: URL])
        Map git = dsl.generatedJobs["${ENV}/monitor-haproxy".toString()].definition.cpsScm.scm.git
        assertEquals([remote: [url: URL], branch: 'main'], git)
        assertEquals(librarySites(), dsl.generatedFolders.keySet() as List)
    }

    @Test
    void everyParameterAJenkinsfileReadsIsDeclaredByItsJobAndNoOther() {
        RecordingJobDsl dsl = seed()
        AVAILABLE.each { String family ->
            Map job = dsl.generatedJobs["${ENV}/${family}".toString()]
            Set<String> declared = job.parameters.collect { it.name as String } as Set

            // Statically: params.X in the Jenkinsfile itself.
            String text = new File(root, job.definition.cpsScm.scriptPath as String).getText('UTF-8')
            Set<String> named = (text =~ /params\.([A-Z_]+)|params\[['"]([A-Z_]+)['"]\]/).collect { it[1] ?: it[2] } as Set
            assertTrue("${family} reads ${named - declared} without declaring them".toString(), declared.containsAll(named))

            // Dynamically: every key the pipeline (and the vars it calls) reads, run with the job's defaults.
            Map<String, Object> defaults = [:]
            job.parameters.each { Map p -> defaults[p.name] = p.type == 'choice' ? p.choices[0] : p.defaultValue }
            RecordingParams params = new RecordingParams(defaults)
            steps.clear()
            jenkinsfile = job.definition.cpsScm.scriptPath
            binding.setVariable('params', params)
            try {
                runScript(jenkinsfile)
            } catch (PipelineError expected) {
                // A job's defaults need not be a valid build (e.g. nothing to change); every parameter is read first.
            }
            assertEquals("${family}: parameters read and declared differ".toString(), declared, params.@read)
        }
    }

    @Test
    void theDefaultsOfAMonitorJobMakeAValidBuild() {
        RecordingJobDsl dsl = seed()
        Map job = dsl.generatedJobs["${ENV}/monitor-haproxy".toString()]
        jenkinsfile = job.definition.cpsScm.scriptPath
        runJenkinsfile(job.parameters.collectEntries { [(it.name): it.type == 'choice' ? it.choices[0] : it.defaultValue] })
        assertEquals(['us-ashburn-1', 'eu-frankfurt-1'], calls('haproxyStatus').collect { it.args.regions[0] })
        assertJobStatusSuccess()
    }

    @Test
    void everyRegionChoiceIsAcceptedByTheJenkinsfiles() {
        RecordingJobDsl dsl = seed()
        List<String> choices = dsl.generatedJobs["${ENV}/monitor-haproxy".toString()].parameters.find { it.name == 'REGIONS' }.choices
        choices.each { String choice ->
            jenkinsfile = 'jenkinsfiles/monitor-haproxy.Jenkinsfile'
            runJenkinsfile([ENVIRONMENT: ENV, REGIONS: choice])
            jenkinsfile = 'jenkinsfiles/reconfigure-haproxy.Jenkinsfile'
            runJenkinsfile([ENVIRONMENT: ENV, HEALTH: 'up', REGIONS: choice])
        }
        assertEquals(choices.size() * 2, calls('stage').size())
    }

    @Test
    void pendingFamiliesAreListedButNotGeneratedUntilTheirJenkinsfilesExist() {
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, [REPOSITORY_URL: URL], workspaceFiles())
        List<Map> families = (List<Map>) dsl.invokeMethod('families', null)
        assertEquals(ISSUE_FAMILIES as Set, families.collect { it.family } as Set)
        assertEquals(ISSUE_FAMILIES.size(), families.size())
        families.each { Map family ->
            boolean exists = new File(root, "jenkinsfiles/${family.family}.Jenkinsfile").isFile()
            if (family.pending) {
                assertFalse("jenkinsfiles/${family.family}.Jenkinsfile exists: make the family available in jobs/seed.groovy".toString(), exists)
                assertTrue(family.pending, family.pending ==~ /needs .*/)
                assertTrue(family.family, family.planned.length() > 5)
            } else {
                assertTrue("${family.family} is available but has no Jenkinsfile".toString(), exists)
                assertEquals(family.family, AVAILABLE.contains(family.family), true)
            }
        }
        dsl.generate()
        assertTrue(dsl.generatedJobs.keySet().every { String job -> AVAILABLE.contains(job.substring(job.indexOf('/') + 1)) })
        // Every Jenkinsfile of the repository is a family of the seed.
        LibrarySourcesTest.jenkinsfiles().each { File f ->
            assertTrue("${f.name} is not a family of jobs/seed.groovy".toString(), AVAILABLE.contains(f.name - '.Jenkinsfile'))
        }
    }

    @Test
    void everyFamilyPendingOrNotBelongsToExactlyOneView() {
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, [REPOSITORY_URL: URL], workspaceFiles())
        List<Map> views = (List<Map>) dsl.invokeMethod('views', null)
        assertEquals(['release', 'provision-validate', 'reconfigure-set', 'destroy', 'monitor'], views.collect { it.name })
        List<String> regexes = views.collect { dsl.invokeMethod('viewRegex', it) as String }
        ISSUE_FAMILIES.collect { it.replace('<service>', 'jitsi-meet-web') }.each { String family ->
            assertEquals(family, 1, regexes.count { family ==~ it })
        }
        assertTrue('release-nomad-web' ==~ regexes[0])
        assertTrue('expand-release-core' ==~ regexes[0])
        assertTrue('destroy-release-core' ==~ regexes[3])
    }

    @Test
    void aProtectedSiteSaysSoInItsFolder() {
        replaced['resources/sites/stage-example.yaml'] = siteText().replace('protected: false', 'protected: true')
        RecordingJobDsl dsl = seed()
        assertTrue(dsl.generatedFolders[ENV].description.contains('regions us-ashburn-1, eu-frankfurt-1; protected environment.'))
    }

    @Test
    void sitesRestrictsTheSitesSeeded() {
        replaced['jobs/sites.txt'] = 'stage-example\nprod-example\n'
        replaced['resources/sites/prod-example.yaml'] = siteText().replace('name: stage-example', 'name: prod-example')
                .replace('  - name: eu-frankfurt-1', '  - name: uk-london-1')
        RecordingJobDsl dsl = seed([REPOSITORY_URL: URL, SITES: 'prod-example'])
        assertEquals(['prod-example'], dsl.generatedFolders.keySet() as List)
        assertEquals(['all', 'us-ashburn-1', 'uk-london-1'], dsl.generatedJobs['prod-example/monitor-haproxy'].parameters[1].choices)
        assertEquals(['prod-example'], dsl.generatedJobs['prod-example/monitor-haproxy'].parameters[0].choices)

        dsl = seed([REPOSITORY_URL: URL, SITES: ''])
        assertEquals(['stage-example', 'prod-example'], dsl.generatedFolders.keySet() as List)
    }

    // ---- bad input generates nothing ----

    @Test
    void hostileSeedParametersFailNamingTheParameter() {
        Map<String, List<Object>> hostile = [
                REPOSITORY_URL: ['', ' ', 'http://git.example.com/x.git', 'file:///etc/passwd', 'https://user:secret@git.example.com/x.git',
                                 'https://git.example.com/x y.git', "https://git.example.com/x.git\nhttps://evil", 'https://git.example.com/../x',
                                 '-oProxyCommand=id', 'ext::sh -c id', 'https://git.example.com/' + ('x' * 400), 'https://git.\u00e9xample.com/x'],
                BRANCH        : ['..', 'main..x', 'main;id', 'main id', '-x', 'main\n', 'x' * 101, 'main/', 'x.lock', '$(id)', 'm\u00e4in'],
                CREDENTIALS_ID: ['a b', 'id\nx', 'x' * 101, '$(id)', '../id'],
                SITES         : ['../x', 'Stage', 'prod-nowhere', 'stage-example;id', "stage-example\nx"],
        ]
        hostile.each { String parameter, List<Object> values ->
            values.each { Object value ->
                Map params = [REPOSITORY_URL: URL, BRANCH: 'main', CREDENTIALS_ID: '', SITES: ''] + [(parameter): value]
                String message = null
                try {
                    message = seedFailing(params)
                } catch (AssertionError e) {
                    throw new AssertionError("${parameter}=${HostileParametersTest.describe(value)}: ${e.message}".toString())
                }
                assertTrue("${parameter}=${value}: ${message}".toString(), message.readLines()[1].startsWith("  ${parameter}".toString()))
            }
        }
    }

    @Test
    void rejectedValuesAreQuotedEscapedAsTheLibraryQuotesThem() {
        // The seed quotes values with the library's Checks.preview (its own copy wrote every escape as a
        // backslash-u escape of four hex digits: now a newline is a backslash and n, a quote a backslash and ').
        String message = seedFailing([REPOSITORY_URL: URL, BRANCH: "main\n[Pipeline] echo forged \u00e4'"])
        assertEquals("seed: nothing was generated:\n  BRANCH must be a branch name such as main or release/2024 (ASCII letters, digits and " +
                ". _ / - *, at most 100 characters, no '..'); got 'main\\n[Pipeline] echo forged \\u00e4\\''", message)
    }

    @Test
    void badSiteFilesFailNamingTheFileAndLine() {
        String site = siteText()
        int regionsLine = site.readLines().findIndexOf { it == 'regions:' } + 1
        int frankfurtLine = site.readLines().findIndexOf { it == '  - name: eu-frankfurt-1' } + 1
        assertTrue(regionsLine > 0 && frankfurtLine > 0)
        Map<String, String> cases = [
                (site.replace('name: stage-example', 'name: stage-other'))              : "resources/sites/stage-example.yaml describes site 'stage-other'; its name: must be stage-example",
                (site.replace('regions:\n', 'regions: [{name: us-ashburn-1}]\nx:\n'))   : "resources/sites/stage-example.yaml line ${regionsLine}: regions: write the regions as a block list".toString(),
                (site.replace('  - name: eu-frankfurt-1', '  - name: all'))             : "resources/sites/stage-example.yaml: a region named 'all' would be mistaken for every region in REGIONS",
                (site.replace('  - name: eu-frankfurt-1', '  - name: EU_Frankfurt'))    : "resources/sites/stage-example.yaml line ${frankfurtLine}: regions[].name must match [a-z0-9][a-z0-9-]{0,62}".toString(),
                (site.replace('protected: false', 'protected: yes'))                    : "resources/sites/stage-example.yaml: protected must be true or false; got 'yes'",
                (site.replace('  - name: eu-frankfurt-1', '  - name: us-ashburn-1'))    : "resources/sites/stage-example.yaml line ${frankfurtLine}: regions: region us-ashburn-1 is listed twice".toString(),
                ''                                                                      : 'resources/sites/stage-example.yaml is empty',
        ]
        cases.each { String text, String expected ->
            replaced['resources/sites/stage-example.yaml'] = text
            String message = seedFailing([REPOSITORY_URL: URL])
            assertTrue("${expected}\n/ ${message}".toString(), message.contains(expected))
        }
    }

    @Test
    void aBadSitesListFailsNamingTheLine() {
        replaced['jobs/sites.txt'] = 'stage-example\n../etc\n'
        assertTrue(seedFailing([REPOSITORY_URL: URL]).contains("jobs/sites.txt line 2: a site name must match [a-z0-9][a-z0-9-]{0,62}; got '../etc'"))
        replaced['jobs/sites.txt'] = '# nothing\n'
        assertTrue(seedFailing([REPOSITORY_URL: URL]).contains('jobs/sites.txt lists no site'))
        replaced['jobs/sites.txt'] = 'stage-example\nstage-example\n'
        assertTrue(seedFailing([REPOSITORY_URL: URL]).contains('jobs/sites.txt line 2: stage-example is listed twice'))
    }

    @Test
    void aListedSiteWithoutAFileFailsTheSeed() {
        replaced['jobs/sites.txt'] = 'stage-example\nprod-nowhere\n'
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, [REPOSITORY_URL: URL], workspaceFiles())
        try {
            dsl.generate()
            fail('a missing site file should fail the seed')
        } catch (FileNotFoundException expected) {
            assertEquals('no file resources/sites/prod-nowhere.yaml in the workspace', expected.message)
        }
        assertTrue(dsl.generatedJobs.isEmpty())
    }

    String siteText() {
        return new File(root, 'resources/sites/stage-example.yaml').getText('UTF-8')
    }

    /** Build parameters that remember which were read. */
    static class RecordingParams extends LinkedHashMap<String, Object> {
        final Set<String> read = new LinkedHashSet<String>()

        RecordingParams(Map<String, Object> values) {
            super(values)
        }

        @Override
        Object get(Object key) {
            read.add(key as String)
            return super.get(key)
        }
    }

    /** The repository root for static fields. */
    static class RepositoryRootHolder {
        static final File ROOT = io.infrasteps.library.test.RepositoryRoot.dir()
    }
}
