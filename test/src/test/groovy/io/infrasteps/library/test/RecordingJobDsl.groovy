package io.infrasteps.library.test

import org.codehaus.groovy.control.CompilerConfiguration

/**
 * A small stand-in for the Job DSL (job-dsl-core is not on Maven Central, so jobs/ scripts cannot be
 * run by the real thing here). It is the base class of the seed script under test and records what
 * the script would generate. Only the Job DSL methods the seed uses are modelled, with the signatures
 * of the real API (javaposse.jobdsl.dsl: JobParent, DslFolderContext, WorkflowJob, BuildParametersContext,
 * WorkflowDefinitionContext, DslCpsScmContext, DslScmContext, DslGitContext, DslRemoteContext, ListView, ...);
 * any other method called in a DSL block fails the test, so the seed cannot rely on something not
 * modelled here. Blocks run with DELEGATE_FIRST, as Job DSL runs them.
 */
abstract class RecordingJobDsl extends Script {

    /** Reads a workspace file for readFileFromWorkspace: path -> text; throws for a missing file. */
    private Closure<String> workspaceReader

    /** (A Script's properties are binding variables: the reader is set through this method.) */
    void useWorkspace(Closure<String> reader) {
        workspaceReader = reader
    }

    /** What was generated, by full name, in call order. */
    Map<String, Map> generatedFolders = [:]
    Map<String, Map> generatedJobs = [:]
    Map<String, Map> generatedViews = [:]
    List<String> filesRead = []
    List<String> printed = []

    /**
     * A class loader like the one Job DSL compiles a seed with: Groovy and the DSL (here this stand-in),
     * plus the given classpath entries (relative to the repository root; the seed job has none: Job DSL
     * ignores an additional classpath under its script security), but no Pipeline classes
     * (com.cloudbees.*, which JenkinsPipelineUnit puts on the test classpath) and never the library's
     * src/: the Job DSL plugin does not depend on Pipeline: Groovy, so a seed cannot count on them.
     */
    static GroovyClassLoader seedClassLoader(List<String> classpath, CompilerConfiguration config) {
        GroovyClassLoader loader = new GroovyClassLoader(new WithoutPipelineClasses(RecordingJobDsl.classLoader), config)
        File root = RepositoryRoot.dir()
        classpath.each { String entry -> loader.addClasspath(new File(root, entry).path) }
        return loader
    }

    /** Compiles a jobs/ script with this class as its base and nothing else on its class path. */
    static RecordingJobDsl load(File script, Map<String, Object> parameters, Closure<String> workspace) {
        CompilerConfiguration config = new CompilerConfiguration()
        config.scriptBaseClass = RecordingJobDsl.name
        GroovyShell shell = new GroovyShell(seedClassLoader([], config), new Binding(new LinkedHashMap(parameters)), config)
        RecordingJobDsl dsl = (RecordingJobDsl) shell.parse(script)
        dsl.useWorkspace(workspace)
        return dsl
    }

    /** Runs the script, then checks what Job DSL would check when creating the items. */
    Object generate() {
        Object result = run()
        (generatedJobs.keySet() + generatedViews.keySet()).each { String name ->
            if (name.contains('/')) {
                String parent = name.substring(0, name.lastIndexOf('/'))
                if (!generatedFolders.containsKey(parent)) {
                    throw new AssertionError("${name}: folder ${parent} is not created by the script".toString())
                }
            }
        }
        return result
    }

    String readFileFromWorkspace(String path) {
        filesRead.add(path)
        return workspaceReader.call(path)
    }

    void folder(String name, Closure body) {
        unique(name)
        generatedFolders.put(name, (Map) within(new DslFolderContext(), body).record)
    }

    void pipelineJob(String name, Closure body) {
        unique(name)
        generatedJobs.put(name, (Map) within(new DslPipelineJobContext(), body).record)
    }

    void listView(String name, Closure body) {
        if (generatedViews.containsKey(name)) {
            throw new AssertionError("view ${name} is defined twice".toString())
        }
        generatedViews.put(name, (Map) within(new DslListViewContext(), body).record)
    }

    @Override
    void println(Object value) {
        printed.add(String.valueOf(value))
    }

    private void unique(String name) {
        if (generatedFolders.containsKey(name) || generatedJobs.containsKey(name)) {
            throw new AssertionError("item ${name} is defined twice".toString())
        }
    }

    static <T extends DslContext> T within(T context, Closure body) {
        Closure c = (Closure) body.clone()
        c.resolveStrategy = Closure.DELEGATE_FIRST
        c.delegate = context
        c.call()
        return context
    }
}

/** A DSL block: records into a map; any method not modelled fails. */
class DslContext {
    final Map record = [:]

    def methodMissing(String name, Object args) {
        throw new AssertionError("Job DSL method ${name}${(args as List)} is not modelled in ${getClass().simpleName} (RecordingJobDsl)".toString())
    }

    void set(String key, Object value) {
        if (record.containsKey(key) && !(record[key] instanceof List)) {
            throw new AssertionError("${key} is set twice".toString())
        }
        record.put(key, value)
    }
}

class DslFolderContext extends DslContext {
    void displayName(String value) { set('displayName', value) }
    void description(String value) { set('description', value) }
}

class DslPipelineJobContext extends DslContext {
    void description(String value) { set('description', value) }
    void parameters(Closure body) { set('parameters', RecordingJobDsl.within(new DslParametersContext(), body).parameters) }
    void definition(Closure body) { set('definition', RecordingJobDsl.within(new DslDefinitionContext(), body).record) }
}

class DslParametersContext extends DslContext {
    final List<Map> parameters = []

    private void add(Map p) {
        // Job DSL: "parameter X already defined"
        if (parameters.any { it.name == p.name }) {
            throw new AssertionError("parameter ${p.name} already defined".toString())
        }
        parameters.add(p)
    }

    void stringParam(String name, String defaultValue, String description) {
        add([type: 'string', name: name, defaultValue: defaultValue, description: description])
    }

    void booleanParam(String name, boolean defaultValue, String description) {
        add([type: 'boolean', name: name, defaultValue: defaultValue, description: description])
    }

    void choiceParam(String name, List<String> options, String description) {
        add([type: 'choice', name: name, choices: new ArrayList<String>(options), description: description])
    }
}

class DslDefinitionContext extends DslContext {
    void cpsScm(Closure body) { set('cpsScm', RecordingJobDsl.within(new DslCpsScmContext(), body).record) }
}

class DslCpsScmContext extends DslContext {
    void scm(Closure body) { set('scm', RecordingJobDsl.within(new DslScmContext(), body).record) }
    void scriptPath(String value) { set('scriptPath', value) }
    void lightweight(boolean value) { set('lightweight', value) }
}

class DslScmContext extends DslContext {
    void git(Closure body) { set('git', RecordingJobDsl.within(new DslGitContext(), body).record) }
}

class DslGitContext extends DslContext {
    void remote(Closure body) { set('remote', RecordingJobDsl.within(new DslRemoteContext(), body).record) }
    void branch(String value) { set('branch', value) }
}

class DslRemoteContext extends DslContext {
    void url(String value) { set('url', value) }
    void credentials(String value) { set('credentials', value) }
}

class DslListViewContext extends DslContext {
    void description(String value) { set('description', value) }
    void jobs(Closure body) { set('jobs', RecordingJobDsl.within(new DslListViewJobsContext(), body).record) }
    void columns(Closure body) { set('columns', RecordingJobDsl.within(new DslColumnsContext(), body).columns) }
}

class DslListViewJobsContext extends DslContext {
    void regex(String value) { set('regex', value) }
    void name(String value) { record.put('names', ((List) record.get('names') ?: []) + [value]) }
}

class DslColumnsContext extends DslContext {
    final List<String> columns = []
    void status() { columns.add('status') }
    void weather() { columns.add('weather') }
    void name() { columns.add('name') }
    void lastSuccess() { columns.add('lastSuccess') }
    void lastFailure() { columns.add('lastFailure') }
    void lastDuration() { columns.add('lastDuration') }
    void buildButton() { columns.add('buildButton') }
}

/**
 * Hides Pipeline's classes and sources (com.cloudbees.*) from a seed, as the Job DSL plugin's class loader does.
 * Statically compiled: a dynamic Groovy super call to ClassLoader.loadClass fails on Java 17.
 */
@groovy.transform.CompileStatic
class WithoutPipelineClasses extends ClassLoader {
    WithoutPipelineClasses(ClassLoader parent) {
        super(parent)
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith('com.cloudbees.')) {
            throw new ClassNotFoundException(name)
        }
        return super.loadClass(name, resolve)
    }

    @Override
    URL getResource(String name) {
        return name.startsWith('com/cloudbees/') ? null : super.getResource(name)
    }

    @Override
    Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith('com/cloudbees/') ? Collections.<URL>emptyEnumeration() : super.getResources(name)
    }
}
