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
 * argument is serialized (Java serialization) as Jenkins would store it in the program state.
 */
abstract class LibraryTestBase extends BasePipelineTest {

    static final String JENKINSFILE = 'jenkinsfiles/reconfigure-shard-states.Jenkinsfile'

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

        helper.registerAllowedMethod('setHaproxy', [Map], { Map args ->
            record('setHaproxy', args)
            return setHaproxyBehaviour.call(args)
        })
        helper.registerAllowedMethod('validateShard', [Map], { Map args ->
            record('validateShard', args)
            return validateShardBehaviour.call(args)
        })
        helper.registerAllowedMethod('waitHealthyShards', [Map], { Map args ->
            record('waitHealthyShards', args)
            return waitHealthyShardsBehaviour.call(args)
        })
        helper.registerAllowedMethod('withEnvironmentLock', [Map, Closure], { Map args, Closure body ->
            record('withEnvironmentLock', args)
            return helper.callClosure(body)
        })
        helper.registerAllowedMethod('haproxyStatus', [Map], { Map args ->
            record('haproxyStatus', args)
            return haproxyStatusBehaviour.call(args)
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
            assertTrue('writeFile needs a node', nodeDepth > 0)
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
            return workspace.containsKey(path)
        })
        helper.registerAllowedMethod('sh', [String], { String script -> fail("sh must not be used: ${script}") })
        helper.registerAllowedMethod('sh', [Map], { Map args -> fail("sh must not be used: ${args}") })
        helper.registerAllowedMethod('sleep', [Integer], { Integer s -> fail('sleep must not be used') })
        helper.registerAllowedMethod('sleep', [Map], { Map args -> fail('sleep must not be used') })
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
        if (!workspace.containsKey(path)) {
            throw new PipelineError("No such file: ${path}")
        }
        return workspace.get(path)
    }

    /** Records a step call and checks that its arguments survive Java serialization. */
    void record(String name, Object args) {
        Serialization.assertSerializable("arguments of ${name}", args)
        steps.add([name: name, args: args, lock: locks ? locks.last() : null, inNode: nodeDepth > 0,
                   branch: branchStack ? branchStack.last() : null])
    }

    List<Map> calls(String name) {
        return steps.findAll { it.name == name }
    }

    List<String> stepNames() {
        return steps.collect { it.name as String }
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
