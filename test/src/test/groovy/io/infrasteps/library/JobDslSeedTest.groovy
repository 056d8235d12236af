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
        } catch (Exception e) {
            assertEquals(Exception, e.getClass())
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

    /** The library's classes, compiled in memory from src/ (never on the seed's class path). */
    static GroovyClassLoader library() {
        GroovyClassLoader loader = new GroovyClassLoader(JobDslSeedTest.classLoader)
        loader.addClasspath(new File(RepositoryRootHolder.ROOT, 'src').path)
        return loader
    }

    @Test
    void everyJobsScriptCompilesWithoutTheLibraryOnTheClasspath() {
        List<File> files = LibrarySourcesTest.groovyFiles('jobs')
        assertEquals(['seed.groovy'], files*.name)
        files.each { File f ->
            String error = compileSeed(f, [])
            if (error) {
                fail("${f.name} does not compile as Job DSL compiles it, with no additional classpath:\n${error}")
            }
        }
        // The seed's class loader sees neither src/ nor Pipeline's classes.
        File probe = File.createTempFile('probe', '.groovy')
        try {
            probe.text = 'import io.infrasteps.library.SiteOutline\nSiteOutline.parse("", "x")\n'
            assertTrue(compileSeed(probe, []).contains('unable to resolve class io.infrasteps.library.SiteOutline'))
            probe.text = 'import com.cloudbees.groovy.cps.NonCPS\n@NonCPS\nvoid f() {}\n'
            assertTrue(compileSeed(probe, []).contains('com.cloudbees.groovy.cps.NonCPS'))
        } finally {
            probe.delete()
        }
    }

    @Test
    void theSeedNeedsNoAdditionalClasspathAndNoLibraryClass() {
        assertFalse('jobs/classpath must not come back: the seed job has no additional classpath', new File(root, 'jobs/classpath').exists())
        String text = SEED.getText('UTF-8')
        assertFalse(text.readLines().any { it ==~ /\s*import\s.*/ })
        ['io.infrasteps', 'SiteOutline.parse', 'Checks.', 'additionalClasspath', 'readFileFromWorkspace(path)', 'IllegalArgumentException',
         'toHexString', 'getVariable', '@NonCPS', 'evaluate(', 'Eval.', 'GroovyShell', 'Class.forName', 'new File', 'System.'].each { String banned ->
            List<String> code = text.readLines().findAll { !it.trim().startsWith('//') && !it.trim().startsWith('*') && !it.trim().startsWith('/**') }
            assertTrue("jobs/seed.groovy uses ${banned}".toString(), code.every { !it.contains(banned) })
        }
        // No copy of the library's YAML scan.
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, [REPOSITORY_URL: URL], workspaceFiles())
        ['parse', 'parseSite', 'itemKey', 'siteItemKey', 'unquote', 'siteUnquote', 'withoutComment', 'siteLineWithoutComment'].each { String copy ->
            assertTrue("jobs/seed.groovy defines ${copy}".toString(), dsl.getClass().getDeclaredMethods().every { it.name != copy })
        }
        // Its form and limits are the library's.
        Class checks = library().loadClass('io.infrasteps.library.Checks')
        Class outline = library().loadClass('io.infrasteps.library.SiteOutline')
        assertEquals(checks.NAME_FORM, dsl.invokeMethod('nameForm', null))
        assertEquals(outline.MAX_REGIONS, dsl.invokeMethod('maxRegions', null))
    }

    @Test
    void theSeedQuotesValuesAsTheLibrarysChecksPreview() {
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, [REPOSITORY_URL: URL], workspaceFiles())
        Class checks = library().loadClass('io.infrasteps.library.Checks')
        [null, '', 'plain', "a'b\\c", 'tab\there\r\n', '\u0000\u001f\u007f\u00e4\u20ac\ud83d\ude00', 'x' * 48, 'y' * 49, 'z' * 400, 42].each { Object v ->
            assertEquals(String.valueOf(v), checks.preview(v), dsl.invokeMethod('quoted', [v] as Object[]))
        }
    }

    @Test
    void theGuideConfiguresTheSeedJobWithJobDslScriptSecurityOn() {
        String guide = new File(root, 'docs/release-manager-guide.md').getText('UTF-8')
        assertFalse(guide.contains('additionalClasspath('))
        assertFalse(guide.contains('useScriptSecurity: false'))
        assertFalse(guide.contains('jobs/classpath'))
        assertTrue(guide.contains('useScriptSecurity: true'))
        assertTrue(guide.contains("external('jobs/seed.groovy')"))
        assertTrue(guide.contains('sandbox(true)'))
    }

    // ---- jobs/sites.txt and resources/sites/ ----

    /** The line of jobs/sites.txt for a site file, derived with the library's SiteOutline; fails on a bad file. */
    static String expectedLine(File yaml, Class outline) {
        String path = "resources/sites/${yaml.name}".toString()
        Map site = (Map) outline.parse(yaml.getText('UTF-8'), path)
        if (!site.problems.isEmpty()) {
            fail("${path}: ${site.problems.join('; ')}".toString())
        }
        if (site.name != yaml.name - '.yaml') {
            fail("${path} describes site ${site.name}; its name: must be ${yaml.name - '.yaml'}".toString())
        }
        return "${site.name}  regions=${((List) site.regions).join(',')}  protected=${site.protected}".toString()
    }

    static List<String> sitesTxtLines(String text) {
        return text.readLines().collect { it.replaceAll('#.*', '').trim() }.findAll { it }
    }

    @Test
    void sitesTxtCarriesExactlyWhatEachSiteFileSays() {
        Class outline = library().loadClass('io.infrasteps.library.SiteOutline')
        List<File> files = new File(root, 'resources/sites').listFiles().findAll { it.name.endsWith('.yaml') }.sort { it.name }
        assertFalse(files.isEmpty())
        Map<String, String> expected = files.collectEntries { [(it.name - '.yaml'): expectedLine(it, outline)] }
        Map<String, String> listed = sitesTxtLines(new File(root, 'jobs/sites.txt').getText('UTF-8'))
                .collectEntries { [(it.split(/\s+/)[0]): it.split(/\s+/).join('  ')] }
        List<String> wrong = []
        expected.each { String name, String line ->
            if (listed[name] != line) {
                wrong << "resources/sites/${name}.yaml: jobs/sites.txt must have the line\n${line}\n(has: ${listed[name] ?: 'none'})".toString()
            }
        }
        (listed.keySet() - expected.keySet()).each { String name ->
            wrong << "jobs/sites.txt lists ${name}, which has no resources/sites/${name}.yaml: remove its line".toString()
        }
        if (wrong) {
            fail(wrong.join('\n'))
        }
        // The seed reads the file as the test does.
        RecordingJobDsl dsl = RecordingJobDsl.load(SEED, [REPOSITORY_URL: URL], workspaceFiles())
        List<String> problems = []
        List<Map> seen = (List<Map>) dsl.invokeMethod('siteList', [new File(root, 'jobs/sites.txt').getText('UTF-8'), problems] as Object[])
        assertEquals([], problems)
        assertEquals(expected.values() as List, seen.collect { "${it.name}  regions=${it.regions.join(',')}  protected=${it.protected}".toString() })
    }

    @Test
    void theConsistencyCheckPrintsTheLineForANewOrChangedSite() {
        Class outline = library().loadClass('io.infrasteps.library.SiteOutline')
        File dir = File.createTempDir()
        try {
            File yaml = new File(dir, 'prod-example.yaml')
            yaml.text = siteText().replace('name: stage-example', 'name: prod-example').replace('protected: false', 'protected: true')
                    .replace('  - name: eu-frankfurt-1', '  - name: uk-london-1')
            assertEquals('prod-example  regions=us-ashburn-1,uk-london-1  protected=true', expectedLine(yaml, outline))
            yaml.text = siteText().replace('  - name: eu-frankfurt-1', '  - name: EU_Frankfurt')
            try {
                expectedLine(yaml, outline)
                fail('a bad site file must fail')
            } catch (AssertionError e) {
                assertTrue(e.message, e.message.contains('regions[].name must match [a-z0-9][a-z0-9-]{0,62}'))
            }
        } finally {
            dir.deleteDir()
        }
    }

    // ---- what the seed generates ----

    @Test
    void generatesAFolderPerSiteWithTheAvailableFamiliesAndTheirViews() {
        RecordingJobDsl dsl = seed()

        assertEquals(librarySites(), dsl.generatedFolders.keySet() as List)
        assertEquals([displayName: ENV, description: 'Jobs of environment stage-example: regions us-ashburn-1, eu-frankfurt-1. ' +
                'Site: resources/sites/stage-example.yaml. Generated by jobs/seed.groovy: changes made here are overwritten.'],
                dsl.generatedFolders[ENV])
        assertEquals(AVAILABLE.collect { "${ENV}/${it}".toString() }, dsl.generatedJobs.keySet() as List)
        assertEquals(['jobs/sites.txt'], dsl.filesRead)

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

    static final String STAGE_LINE = 'stage-example  regions=us-ashburn-1,eu-frankfurt-1  protected=false'

    @Test
    void aProtectedSiteSaysSoInItsFolder() {
        replaced['jobs/sites.txt'] = STAGE_LINE.replace('protected=false', 'protected=true') + '\n'
        RecordingJobDsl dsl = seed()
        assertTrue(dsl.generatedFolders[ENV].description.contains('regions us-ashburn-1, eu-frankfurt-1; protected environment.'))
    }

    @Test
    void sitesRestrictsTheSitesSeeded() {
        replaced['jobs/sites.txt'] = STAGE_LINE + '\n\tprod-example\tprotected=true   regions=us-ashburn-1,uk-london-1  # production\n'
        RecordingJobDsl dsl = seed([REPOSITORY_URL: URL, SITES: 'prod-example'])
        assertEquals(['prod-example'], dsl.generatedFolders.keySet() as List)
        assertEquals(['all', 'us-ashburn-1', 'uk-london-1'], dsl.generatedJobs['prod-example/monitor-haproxy'].parameters[1].choices)
        assertEquals(['prod-example'], dsl.generatedJobs['prod-example/monitor-haproxy'].parameters[0].choices)
        assertTrue(dsl.generatedFolders['prod-example'].description.contains('; protected environment.'))

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
    void badSitesTxtLinesFailNamingTheLine() {
        Map<String, String> cases = [
                ('# nothing\n')                                                    : 'jobs/sites.txt lists no site',
                ('')                                                                : 'jobs/sites.txt lists no site',
                ("${STAGE_LINE}\n../etc  regions=a  protected=false\n")           : "jobs/sites.txt line 2: a site name must match [a-z0-9][a-z0-9-]{0,62}; got '../etc'",
                ("${STAGE_LINE}\n${STAGE_LINE}\n")                                : 'jobs/sites.txt line 2: stage-example is listed twice',
                ('stage-example\n')                                                : 'jobs/sites.txt line 1: stage-example needs both regions=<region>,<region>... and protected=<true|false>',
                ('stage-example  regions=us-ashburn-1\n')                          : 'jobs/sites.txt line 1: stage-example needs both',
                ("${STAGE_LINE}  protected=true\n")                                : "jobs/sites.txt line 1: expected '<name>  regions=<region>,<region>...  protected=<true|false>', each field once; got 'protected=true'",
                ("${STAGE_LINE}  domain=x\n")                                      : "each field once; got 'domain=x'",
                ('stage-example  regions=us-ashburn-1,eu-frankfurt-1  protected=yes\n')  : "jobs/sites.txt line 1: protected must be true or false; got 'yes'",
                ('stage-example  regions=us-ashburn-1,eu-frankfurt-1  protected=True\n') : "protected must be true or false; got 'True'",
                ('stage-example  regions=us-ashburn-1,eu-frankfurt-1  protected=\n')     : "protected must be true or false; got ''",
                ('stage-example  regions=  protected=false\n')                     : "jobs/sites.txt line 1: regions must be region names separated by commas, each matching [a-z0-9][a-z0-9-]{0,62}; got ''",
                ('stage-example  regions=us-ashburn-1,,eu-frankfurt-1  protected=false\n') : "got ''",
                ('stage-example  regions=us-ashburn-1,EU_Frankfurt  protected=false\n')   : "got 'EU_Frankfurt'",
                ('stage-example  regions=us-ashburn-1,all  protected=false\n')     : "jobs/sites.txt line 1: a region named 'all' would be mistaken for every region in REGIONS",
                ('stage-example  regions=us-ashburn-1,us-ashburn-1  protected=false\n') : 'jobs/sites.txt line 1: region us-ashburn-1 is listed twice',
                ("stage-example  regions=${(1..65).collect { "r${it}" }.join(',')}  protected=false\n".toString()) : 'stage-example lists 65 regions; at most 64 are allowed',
                ("# c\n\n${STAGE_LINE.replace('stage-example', 'St\u00e4ge')}\n".toString()) : "jobs/sites.txt line 3: a site name must match [a-z0-9][a-z0-9-]{0,62}; got 'St\\u00e4ge'",
                ("${STAGE_LINE}\nprod  regions=x  protected=false\u00a0\n".toString()) : "jobs/sites.txt line 2: protected must be true or false; got 'false\\u00a0'",
        ]
        cases.each { String text, String expected ->
            replaced['jobs/sites.txt'] = text
            String message = seedFailing([REPOSITORY_URL: URL])
            assertTrue("${expected}\n/ ${message}".toString(), message.contains(expected))
        }
        // Every bad line is reported, not only the first.
        replaced['jobs/sites.txt'] = "x  regions=a  protected=no\n${STAGE_LINE}\nBad\n"
        String message = seedFailing([REPOSITORY_URL: URL])
        assertTrue(message, message.contains('line 1: protected') && message.contains("line 3: a site name must match"))
    }

    @Test
    void aSiteNotInSitesTxtFailsTheSeed() {
        assertTrue(seedFailing([REPOSITORY_URL: URL, SITES: 'prod-nowhere']).contains('SITES: prod-nowhere is not in jobs/sites.txt; sites: stage-example'))
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
