package io.infrasteps.library.test

import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library
import static org.junit.Assert.assertEquals
import static org.junit.Assert.assertTrue
import static org.junit.Assert.fail

import com.lesfurets.jenkins.unit.BasePipelineTest
import org.junit.Before

/**
 * Base of the library and Jenkinsfile tests (JenkinsPipelineUnit 1.1, plain mode).
 *
 * The library 'infra-steps' is served from the repository root, as Jenkins loads it: vars/, src/
 * and resources/ are never compiled onto the test classpath. Every step the library may call is a
 * recording mock; each recorded call notes the lock held and whether it ran inside node, and every
 * argument is serialized (Java serialization) as Jenkins would store it in the program state. Steps
 * that need a workspace (writeFile, readFile, fileExists, plugin steps given a siteFile) fail outside
 * node, as in Jenkins; nothing echoed or failed with may quote a site's YAML text.
 */
abstract class LibraryTestBase extends BasePipelineTest {

    static final String JENKINSFILE = 'jenkinsfiles/reconfigure-shard-states.Jenkinsfile'

    /** The library's example site, its Jenkins lock, and what infraSite(name) returns for it. */
    public static final String STAGE = 'stage-example'
    public static final String STAGE_LOCK = 'haproxy-state-stage-example'
    public static final Map<String, String> STAGE_SITE = [siteYaml: siteText(STAGE)]

    /** A configured site (site: 'prod-example') and shards of it, for the vars called directly. */
    public static final String PROD = 'prod-example'
    public static final String P1 = 'prod-example-us-phoenix-1-s1'
    public static final String P2 = 'prod-example-us-phoenix-1-s2'
    public static final String P3 = 'prod-example-uk-london-1-s3'

    /** The text of the library's resources/sites/<name>.yaml. */
    static String siteText(String name) {
        return new File(RepositoryRoot.dir(), "resources/sites/${name}.yaml").getText('UTF-8')
    }

    /** Lines of the site files (the library's and the fixtures') long enough to tell if a message quotes one. */
    public static final List<String> SITE_LINES = siteLines()

    static List<String> siteLines() {
        File root = RepositoryRoot.dir()
        List<File> files = (new File(root, 'resources/sites').listFiles() + new File(root, 'test/src/test/fixtures/resources/sites').listFiles()).toList()
        return files.findAll { it.name.endsWith('.yaml') }.collectMany { it.readLines('UTF-8') }.collect { it.trim() }.findAll { it.length() >= 16 }.unique()
    }

    /** The Jenkinsfile runJenkinsfile runs; tests of other pipelines set it. */
    String jenkinsfile = JENKINSFILE

    /** Recorded steps, in call order: [name, args, lock, inNode, branch]. */
    List<Map> steps = []
    /** Files written to (or put into) the mocked workspace, by relative path. */
    Map<String, String> workspace = [:]
    /** Lines echoed. */
    List<String> log = []
    /** Locks currently held, innermost last. */
    List<String> locks = []
    int nodeDepth = 0
    /** Parallel branches currently running, innermost last. */
    List<String> branchStack = []

    /** setHaproxy's behaviour: args -> result; may throw. Default: success on 2 proxies. */
    Closure setHaproxyBehaviour = { Map args -> new FakeSetHaproxyResult(['haproxy-a', 'haproxy-b'], true) }

    /** validateShard's behaviour: args -> result; may throw. Default: every shard passes every check. */
    Closure validateShardBehaviour = { Map args -> FakeValidationResult.of(args.shards as List, [:]) }

    /** The shards waitHealthyShards returns for a release (release: N); for shards: it returns those. */
    List<String> releaseShards = []

    /** waitHealthyShards' behaviour: args -> result; may throw. Default: healthy at once. */
    Closure waitHealthyShardsBehaviour = { Map args ->
        new FakeWaitResult(args.containsKey('shards') ? (args.shards as List) : releaseShards)
    }

    /** haproxyStatus' behaviour: args -> result; may throw. Default: the asked regions (or two), every server UP. */
    Closure haproxyStatusBehaviour = { Map args ->
        FakeHaproxyStatusResult.healthy(args.containsKey('regions') ? (args.regions as List) : ['us-ashburn-1', 'eu-frankfurt-1'])
    }

    File root = RepositoryRoot.dir()

    @Override
    @Before
    void setUp() throws Exception {
        baseScriptRoot = root.path
        scriptRoots = [root.path, new File(root, 'test/src/test/pipelines').path] as String[]
        scriptExtension = 'groovy'
        helper.registerSharedLibrary(library()
                .name('infra-steps')
                .defaultVersion('main')
                .allowOverride(false)
                .implicit(false)
                .targetPath(new File(System.getProperty('java.io.tmpdir')).path)
                .retriever(new RepositoryRoot())
                .build())
        super.setUp()

        helper.registerAllowedMethod('setHaproxy', [Map], { Map args -> pluginStep('setHaproxy', args, setHaproxyBehaviour) })
        helper.registerAllowedMethod('validateShard', [Map], { Map args -> pluginStep('validateShard', args, validateShardBehaviour) })
        helper.registerAllowedMethod('waitHealthyShards', [Map], { Map args -> pluginStep('waitHealthyShards', args, waitHealthyShardsBehaviour) })
        helper.registerAllowedMethod('haproxyStatus', [Map], { Map args -> pluginStep('haproxyStatus', args, haproxyStatusBehaviour) })
        helper.registerAllowedMethod('withEnvironmentLock', [Map, Closure], { Map args, Closure body ->
            pluginStep('withEnvironmentLock', args, { Map a -> helper.callClosure(body) })
        })
        // Branches run one after the other, each named on the steps it records. As in Jenkins: without
        // failFast every branch runs and the first failure is thrown at the end; with failFast the first
        // failure stops the rest (here: they never start); an interruption (abort) stops everything.
        helper.registerAllowedMethod('parallel', [Map], { Map branches ->
            List<String> names = branches.keySet().findAll { it != 'failFast' }.collect { it as String }
            boolean failFast = branches.failFast == true
            record('parallel', [branches: names, failFast: failFast])
            Throwable first = null
            for (String name : names) {
                if (first != null && failFast) {
                    break
                }
                branchStack.add(name)
                try {
                    helper.callClosure((Closure) branches.get(name))
                } catch (InterruptedException e) {
                    throw e
                } catch (Throwable t) {
                    first = first ?: t
                } finally {
                    branchStack.remove(branchStack.size() - 1)
                }
            }
            if (first != null) {
                throw first
            }
            return null
        })
        helper.registerAllowedMethod('lock', [String, Closure], { String resource, Closure body ->
            record('lock', resource)
            locks.add(resource)
            try {
                return helper.callClosure(body)
            } finally {
                locks.remove(locks.size() - 1)
            }
        })
        helper.registerAllowedMethod('lock', [Map, Closure], { Map args, Closure body ->
            fail("lock(Map) is not used by the library: ${args}")
        })
        helper.registerAllowedMethod('node', [Closure], { Closure body -> inNode(null, body) })
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure body -> inNode(label, body) })
        helper.registerAllowedMethod('stage', [String, Closure], { String name, Closure body ->
            record('stage', name)
            return helper.callClosure(body)
        })
        helper.registerAllowedMethod('echo', [String], { String text ->
            record('echo', text)
            log.add(text)
        })
        helper.registerAllowedMethod('error', [String], { String message ->
            record('error', message)
            updateBuildStatus('FAILURE')
            throw new PipelineError(message)
        })
        helper.registerAllowedMethod('libraryResource', [String], { String path ->
            record('libraryResource', path)
            File file = libraryResourceFile(path)
            if (file == null) {
                // What Jenkins' libraryResource step reports for a missing resource.
                throw new PipelineError("No such library resource ${path} could be found.")
            }
            return file.getText('UTF-8')
        })
        helper.registerAllowedMethod('writeFile', [Map], { Map args ->
            record('writeFile', args)
            needsNode('writeFile')
            workspace.put(args.file as String, args.text as String)
            return null
        })
        helper.registerAllowedMethod('readFile', [String], { String path ->
            record('readFile', path)
            return workspaceFile(path)
        })
        helper.registerAllowedMethod('readFile', [Map], { Map args ->
            record('readFile', args)
            return workspaceFile(args.file as String)
        })
        helper.registerAllowedMethod('fileExists', [String], { String path ->
            record('fileExists', path)
            needsNode('fileExists')
            return workspace.containsKey(path)
        })
        helper.registerAllowedMethod('sh', [String], { String script -> fail("sh must not be used: ${script}") })
        helper.registerAllowedMethod('sh', [Map], { Map args -> fail("sh must not be used: ${args}") })
        helper.registerAllowedMethod('sleep', [Integer], { Integer s -> fail('sleep must not be used') })
        helper.registerAllowedMethod('sleep', [Map], { Map args -> fail('sleep must not be used') })
    }

    /**
     * A plugin step: recorded, then its behaviour. Given a siteFile it reads the workspace, so outside node
     * it fails as Jenkins does (with site or siteYaml it needs none).
     */
    def pluginStep(String name, Map args, Closure behaviour) {
        record(name, args)
        if (args.containsKey('siteFile')) {
            needsNode(name)
        }
        return behaviour.call(args)
    }

    /** Fails as Jenkins does when a step that needs a workspace runs outside node. */
    void needsNode(String step) {
        if (nodeDepth == 0) {
            throw new MissingContext(step)
        }
    }

    def inNode(String label, Closure body) {
        record('node', label)
        nodeDepth++
        try {
            return helper.callClosure(body)
        } finally {
            nodeDepth--
        }
    }

    /**
     * The library's resources/ at the repository root, then test fixtures
     * (test/src/test/fixtures/resources) for sites the repository does not ship.
     */
    File libraryResourceFile(String path) {
        for (File base : [new File(root, 'resources'), new File(root, 'test/src/test/fixtures/resources')]) {
            File dir = base.canonicalFile
            File file = new File(dir, path).canonicalFile
            if (file.path.startsWith(dir.path + File.separator) && file.isFile()) {
                return file
            }
        }
        return null
    }

    String workspaceFile(String path) {
        needsNode('readFile')
        if (!workspace.containsKey(path)) {
            throw new PipelineError("No such file: ${path}")
        }
        return workspace.get(path)
    }

    /**
     * Records a step call and checks that its arguments survive Java serialization and that what it
     * prints (echo, error) quotes no site YAML.
     */
    void record(String name, Object args) {
        Serialization.assertSerializable("arguments of ${name}", args)
        if (name == 'echo' || name == 'error') {
            String quoted = SITE_LINES.find { String line -> String.valueOf(args).contains(line) }
            assertTrue("${name} quotes the site YAML line '${quoted}': ${args}".toString(), quoted == null)
        }
        steps.add([name: name, args: args, lock: locks ? locks.last() : null, inNode: nodeDepth > 0,
                   branch: branchStack ? branchStack.last() : null])
    }

    List<Map> calls(String name) {
        return steps.findAll { it.name == name }
    }

    List<String> stepNames() {
        return steps.collect { it.name as String }
    }

    /** No node was taken, and no step ran inside one: the build held no executor. */
    void assertNoNode() {
        assertEquals('node taken', [], calls('node'))
        assertEquals('steps inside node', [], steps.findAll { it.inNode }.collect { it.name })
    }

    /**
     * Runs each call, expecting it to fail with the error step before any other step, with a message
     * starting with its key.
     */
    void assertEachFailsFirst(Map<String, Closure> cases) {
        cases.each { String expected, Closure call ->
            steps.clear()
            String message = failing(call)
            assertTrue("expected '${expected}' in: ${message}".toString(), message.startsWith(expected))
            assertEquals(['error'], stepNames())
        }
    }

    /**
     * Runs the Jenkinsfile, expecting the abort a step behaviour throws ('aborted by a user') to stop the
     * build at once: it propagates, nothing fails the build with error, no lock is left held.
     */
    void assertAbortStopsAtOnce(Map params) {
        try {
            runJenkinsfile(params)
            fail('the abort should propagate')
        } catch (InterruptedException expected) {
            assertEquals('aborted by a user', expected.message)
        }
        assertTrue(calls('error').isEmpty())
        assertTrue(locks.isEmpty())
    }

    /** The plugin's steps (mocked here). */
    static final List<String> PLUGIN_STEPS = ['setHaproxy', 'validateShard', 'waitHealthyShards', 'haproxyStatus', 'withEnvironmentLock']

    /**
     * Runs the Jenkinsfile, expecting the build to fail with the error step before any lock is taken or
     * plugin step runs (e.g. the environment has no site); returns the message.
     */
    String failingBeforeTheLock(Map params) {
        String message = runJenkinsfileFailing(params)
        assertEquals('lock taken', [], calls('lock'))
        assertEquals('plugin steps run', [], steps.findAll { PLUGIN_STEPS.contains(it.name) }.collect { it.name })
        return message
    }

    /** The build used exactly these steps, and no shell, sleep or credentials binding. */
    void assertUsedOnly(List<String> names) {
        assertEquals(names as Set, stepNames() as Set)
        assertEquals(0L, helper.methodCallCount('sh') + helper.methodCallCount('sleep') + helper.methodCallCount('withCredentials'))
    }

    /** A step behaviour that aborts the build, as a user pressing the stop button. */
    static Closure aborting() {
        return { Map args -> throw new InterruptedException('aborted by a user') }
    }

    // ---- running the Jenkinsfile and the library ----

    Object runJenkinsfile(Map params) {
        binding.setVariable('params', Collections.unmodifiableMap(new LinkedHashMap(params)))
        return runScript(jenkinsfile)
    }

    /**
     * Runs the Jenkinsfile, expecting a step (not the error step) to fail the build; returns what it
     * threw, which Jenkins would show as the build's failure.
     */
    Throwable runJenkinsfileThrowing(Map params) {
        try {
            runJenkinsfile(params)
        } catch (Throwable e) {
            return e
        }
        fail("the build should have failed; steps: ${stepNames()}")
        return null
    }

    /** Runs the Jenkinsfile, expecting the build to fail with the error step; returns the message. */
    String runJenkinsfileFailing(Map params) {
        try {
            runJenkinsfile(params)
        } catch (PipelineError e) {
            assertEquals('FAILURE', binding.getVariable('currentBuild').result)
            return e.message
        }
        fail("the build should have failed; steps: ${stepNames()}")
        return null
    }

    /** Loads the library (through a script with @Library) and returns the global variable. */
    def globalVar(String name) {
        if (!binding.hasVariable(name)) {
            loadScript('library.groovy')
        }
        return binding.getVariable(name)
    }

    /** Runs the closure, expecting the error step; returns the message. */
    String failing(Closure action) {
        try {
            action.call()
        } catch (PipelineError e) {
            return e.message
        }
        fail("the error step should have been called; steps: ${stepNames()}")
        return null
    }
}
