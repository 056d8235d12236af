package io.infrasteps.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.infrasteps.plugin.config.InfraStepsConfiguration;
import io.infrasteps.plugin.config.SiteDefinition;
import io.infrasteps.plugin.haproxy.HaproxyChangeResult;
import io.infrasteps.plugin.haproxy.HaproxyStatusResult;
import io.infrasteps.plugin.haproxy.HaproxyStatusStep;
import io.infrasteps.plugin.haproxy.SetHaproxyStep;
import io.infrasteps.plugin.consul.EnvironmentLockContext;
import io.infrasteps.plugin.consul.WithEnvironmentLockStep;
import io.infrasteps.plugin.shard.HealthyShardsResult;
import io.infrasteps.plugin.shard.ShardValidationResult;
import io.infrasteps.plugin.shard.ValidateShardStep;
import io.infrasteps.plugin.shard.WaitHealthyShardsStep;
import io.infrasteps.engine.consul.ConsulClient;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import java.io.InputStream;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** What Jenkins relies on when it loads the plugin's steps and forms, checked without Jenkins. */
class DescriptorContractTest {

    static final List<Class<? extends Step>> STEPS = List.of(HaproxyStatusStep.class, SetHaproxyStep.class, ValidateShardStep.class,
            WaitHealthyShardsStep.class, WithEnvironmentLockStep.class);

    /** Arguments only a Pipeline script can give (lists), per step; every other argument is in the form. */
    static final Map<Class<?>, Set<String>> PIPELINE_ONLY = Map.of(
            HaproxyStatusStep.class, Set.of("proxies", "regions"),
            SetHaproxyStep.class, Set.of("proxies", "regions"),
            ValidateShardStep.class, Set.of("shards"),
            WaitHealthyShardsStep.class, Set.of("shards"),
            WithEnvironmentLockStep.class, Set.of());

    /**
     * What asynchronous executions keep in the saved program state (non-transient fields, by declaring class):
     * exactly what they need to re-arm after a restart, never a secret.
     */
    static final Map<Class<?>, Set<String>> SAVED_STATE = Map.of(
            WaitHealthyShardsStep.class, Set.of("Execution.site", "Execution.release", "Execution.timeoutMinutes", "Execution.shards",
                    "Execution.deadlineMillis"),
            WithEnvironmentLockStep.class, Set.of("Execution.site", "Execution.lockName", "Execution.waitSeconds", "Execution.ttlSeconds",
                    "Execution.key", "Execution.datacenter", "Execution.session", "Execution.reentrant", "Execution.body"));

    /** Types that hold a secret or a live connection: never a non-transient field of an execution or callback. */
    static final List<Class<?>> NEVER_SAVED = List.of(char[].class, String[].class, Secret.class, StringCredentials.class,
            ConsulSite.class, ConsulClient.class, EnvironmentLock.class, Step.class);

    static Class<?> nested(Class<?> outer, String name) {
        for (Class<?> c : outer.getDeclaredClasses()) {
            if (c.getSimpleName().equals(name)) {
                return c;
            }
        }
        throw new AssertionError(outer.getName() + " has no nested " + name);
    }

    /** Properties bound by @DataBoundSetter, on the class and its superclasses. */
    static Set<String> setterProperties(Class<?> type) {
        Set<String> out = new TreeSet<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(DataBoundSetter.class)) {
                    assertTrue(m.getName().startsWith("set") && m.getParameterCount() == 1, m.toString());
                    assertTrue(Modifier.isPublic(m.getModifiers()), m + " must be public");
                    out.add(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4));
                }
            }
        }
        return out;
    }

    static String resource(Class<?> type, String name) throws Exception {
        String path = type.getName().replace('.', '/') + "/" + name;
        try (InputStream in = type.getClassLoader().getResourceAsStream(path)) {
            return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * The class whose resources hold {@code name} for {@code type}, walking the superclass chain as Jenkins'
     * {@code Descriptor.getHelpFile(Klass, fieldName)} does ({@code clazz.getAncestors()}); null when none has it.
     */
    static Class<?> helpOwner(Class<?> type, String name) throws Exception {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            if (resource(c, name) != null) {
                return c;
            }
        }
        return null;
    }

    /** A help file of {@code type} as Jenkins resolves it: beside the class or beside one of its superclasses. */
    static String help(Class<?> type, String name) throws Exception {
        Class<?> owner = helpOwner(type, name);
        return owner == null ? null : resource(owner, name);
    }

    /** Fields a config.jelly binds, after checking that it is well-formed XML. */
    static Set<String> jellyFields(Class<?> type) throws Exception {
        String jelly = resource(type, "config.jelly");
        assertNotNull(jelly, type.getSimpleName() + "/config.jelly missing");
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.newDocumentBuilder().parse(new java.io.ByteArrayInputStream(jelly.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertTrue(jelly.startsWith("<?jelly escape-by-default='true'?>"), "views must escape by default");
        Set<String> fields = new TreeSet<>();
        Matcher m = Pattern.compile("field=\"([A-Za-z]+)\"").matcher(jelly);
        while (m.find()) {
            fields.add(m.group(1));
        }
        return fields;
    }

    @ParameterizedTest
    @ValueSource(classes = {HaproxyStatusStep.class, SetHaproxyStep.class, ValidateShardStep.class, WaitHealthyShardsStep.class,
            WithEnvironmentLockStep.class})
    void stepDescriptorsAreIndexedWithASymbolEqualToTheFunctionName(Class<?> stepClass) throws Exception {
        Class<?> descriptorClass = nested(stepClass, "DescriptorImpl");
        assertTrue(Modifier.isStatic(descriptorClass.getModifiers()) && Modifier.isPublic(descriptorClass.getModifiers()));
        assertNotNull(descriptorClass.getAnnotation(Extension.class), "@Extension missing");
        Symbol symbol = descriptorClass.getAnnotation(Symbol.class);
        assertNotNull(symbol, "@Symbol missing");
        StepDescriptor descriptor = (StepDescriptor) descriptorClass.getConstructor().newInstance();
        assertEquals(List.of(descriptor.getFunctionName()), List.of(symbol.value()),
                "a @Symbol other than the function name silently does nothing");
        assertTrue(descriptor.getFunctionName().matches("[a-z][A-Za-z0-9_]*"));
        assertFalse(descriptor.getDisplayName().isBlank());
        assertEquals(Set.of(Run.class, TaskListener.class), descriptor.getRequiredContext(),
                "FilePath is asked for only with siteFile: site and siteYaml run outside node { }");
        assertFalse(descriptor.getRequiredContext().contains(FilePath.class));
        assertEquals(stepClass == WithEnvironmentLockStep.class, descriptor.takesImplicitBlockArgument(), "only withEnvironmentLock takes a block");
    }

    @ParameterizedTest
    @ValueSource(classes = {HaproxyStatusStep.class, SetHaproxyStep.class, ValidateShardStep.class, WaitHealthyShardsStep.class,
            WithEnvironmentLockStep.class})
    void stepsBindLikeStructsExpects(Class<?> stepClass) throws Exception {
        Constructor<?> ctor = stepClass.getConstructor();
        assertNotNull(ctor.getAnnotation(DataBoundConstructor.class));
        Object step = ctor.newInstance();
        for (String property : setterProperties(stepClass)) {
            String cap = Character.toUpperCase(property.charAt(0)) + property.substring(1);
            Method getter;
            try {
                getter = stepClass.getMethod("get" + cap);
            } catch (NoSuchMethodException e) {
                getter = stepClass.getMethod("is" + cap);
            }
            assertTrue(Modifier.isPublic(getter.getModifiers()));
            Object value = getter.invoke(step);
            assertTrue(value == null || Boolean.FALSE.equals(value), property + " has a default, Snippetizer would show it: " + value);
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {HaproxyStatusStep.class, SetHaproxyStep.class, ValidateShardStep.class, WaitHealthyShardsStep.class,
            WithEnvironmentLockStep.class, SiteDefinition.class, InfraStepsConfiguration.class})
    void everyFieldHasHelpAndEveryFormFieldIsAProperty(Class<?> type) throws Exception {
        Set<String> properties = setterProperties(type);
        if (type == SiteDefinition.class) {
            properties = Set.of("name", "yaml"); // bound by the @DataBoundConstructor
        }
        assertFalse(properties.isEmpty());
        if (Step.class.isAssignableFrom(type)) {
            assertNotNull(resource(type, "help.html"), type.getSimpleName() + "/help.html missing");
        }
        for (String property : properties) {
            String help = help(type, "help-" + property + ".html");
            assertNotNull(help, type.getSimpleName() + "/help-" + property + ".html missing (beside the class or a superclass)");
            assertTrue(help.strip().startsWith("<div>") && help.strip().endsWith("</div>"), "help-" + property + ".html");
        }
        Set<String> bound = jellyFields(type);
        assertTrue(properties.containsAll(bound), "config.jelly binds unknown fields: " + bound + " vs " + properties);
        if (Step.class.isAssignableFrom(type)) {
            Set<String> notInForm = new TreeSet<>(properties);
            notInForm.removeAll(bound);
            assertEquals(PIPELINE_ONLY.get(type), notInForm, "only the list arguments are Pipeline-only");
        }
    }

    @Test
    void everyFieldOfEveryStepResolvesAHelpFileThroughTheClassChainAndSharedTextsLiveOnce() throws Exception {
        Map<String, String> seen = new LinkedHashMap<>();
        for (Class<? extends Step> step : STEPS) {
            for (String property : setterProperties(step)) {
                String name = "help-" + property + ".html";
                Class<?> owner = helpOwner(step, name);
                assertNotNull(owner, step.getSimpleName() + ": no " + name + " beside it or a superclass");
                assertTrue(owner.isAssignableFrom(step), owner + " is not in the class chain of " + step);
                String text = resource(owner, name).strip();
                String where = owner.getSimpleName() + "/" + name;
                for (Map.Entry<String, String> e : seen.entrySet()) {
                    assertTrue(e.getKey().equals(where) || !e.getValue().equals(text),
                            where + " repeats " + e.getKey() + ": keep one beside the shared base class");
                }
                seen.put(where, text);
            }
        }
        assertTrue(seen.keySet().containsAll(List.of("AbstractSiteStep/help-site.html", "AbstractHaproxyStep/help-site.html",
                "AbstractSshSiteStep/help-credentialsId.html", "AbstractSshSiteStep/help-knownHosts.html")), seen.keySet().toString());
    }

    @ParameterizedTest
    @ValueSource(classes = {HaproxyStatusStep.class, SetHaproxyStep.class, ValidateShardStep.class})
    void executionsAreStaticSerializableAndHoldNoArgumentsOrSecrets(Class<?> stepClass) {
        Class<?> execution = nested(stepClass, "Execution");
        assertTrue(Modifier.isStatic(execution.getModifiers()), "an inner execution would capture and serialize the step");
        assertFalse(execution.isAnonymousClass());
        assertTrue(SynchronousNonBlockingStepExecution.class.isAssignableFrom(execution));
        assertTrue(Serializable.class.isAssignableFrom(execution));
        assertEquals(List.of(), savedFields(execution, SynchronousNonBlockingStepExecution.class), "executions keep nothing in saved program state");
    }

    @ParameterizedTest
    @ValueSource(classes = {WaitHealthyShardsStep.class, WithEnvironmentLockStep.class})
    void asynchronousExecutionsSaveExactlyWhatTheyResumeWithAndNoSecret(Class<?> stepClass) {
        Class<?> execution = nested(stepClass, "Execution");
        assertTrue(Modifier.isStatic(execution.getModifiers()) && !execution.isAnonymousClass());
        assertFalse(SynchronousNonBlockingStepExecution.class.isAssignableFrom(execution), "asynchronous: no thread waits in a loop");
        List<String> saved = savedFields(execution, StepExecution.class);
        assertEquals(new TreeSet<>(SAVED_STATE.get(stepClass)), new TreeSet<>(saved));
        assertNoSecretTypes(execution, StepExecution.class);
        assertTrue(Set.of("Execution.site", "Execution.session", "Execution.deadlineMillis", "Execution.shards").stream()
                .anyMatch(saved::contains));
    }

    @Test
    void theLockBlocksCallbackAndBodyContextSaveNoSecret() {
        Class<?> release = nested(WithEnvironmentLockStep.class, "Release");
        assertTrue(BodyExecutionCallback.class.isAssignableFrom(release) && Modifier.isStatic(release.getModifiers()));
        assertEquals(List.of("Release.key", "Release.session"), savedFields(release, BodyExecutionCallback.class));
        assertNoSecretTypes(release, BodyExecutionCallback.class);
        assertTrue(Serializable.class.isAssignableFrom(EnvironmentLockContext.class));
        assertNoSecretTypes(EnvironmentLockContext.class, Object.class);
        assertNoSecretTypes(EnvironmentLockContext.Held.class, Object.class);
    }

    /** Non-static, non-transient fields declared below {@code stop}, as "Class.field". */
    static List<String> savedFields(Class<?> type, Class<?> stop) {
        List<String> persistent = new ArrayList<>();
        for (Class<?> c = type; c != null && c != stop; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (!Modifier.isStatic(m) && !Modifier.isTransient(m)) {
                    persistent.add(c.getSimpleName() + "." + f.getName());
                }
            }
        }
        return persistent;
    }

    static void assertNoSecretTypes(Class<?> type, Class<?> stop) {
        for (Class<?> c = type; c != null && c != stop; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                int m = f.getModifiers();
                if (Modifier.isStatic(m) || Modifier.isTransient(m)) {
                    continue;
                }
                for (Class<?> forbidden : NEVER_SAVED) {
                    assertFalse(forbidden.isAssignableFrom(f.getType()), c.getSimpleName() + "." + f.getName() + " would save a " + forbidden.getSimpleName());
                }
            }
        }
    }

    @Test
    void argumentsToStringShowsTheTargetButNeverCredentialsOrFreeText() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("site", "stage");
        args.put("shard", "stage-us-ashburn-1-s2");
        args.put("state", "drain");
        args.put("credentialsId", "prod-key");
        args.put("knownHosts", "[h]:22 ssh-ed25519 AAAA");
        args.put("proxies", List.of("tcp://a:1", "tcp://b:1"));
        String shown = new SetHaproxyStep.DescriptorImpl().argumentsToString(args);
        assertEquals("site: stage, proxies: 2 entries, shard: stage-us-ashburn-1-s2, state: drain", shown);
        assertEquals("site: stage", new HaproxyStatusStep.DescriptorImpl().argumentsToString(Map.of("site", "stage", "credentialsId", "k")));
        assertEquals("site: <invalid>", new HaproxyStatusStep.DescriptorImpl().argumentsToString(Map.of("site", "bad value\nwith newline")));
        assertEquals("site: stage, timeoutMinutes: <invalid>", new WaitHealthyShardsStep.DescriptorImpl()
                .argumentsToString(new LinkedHashMap<>(Map.of("site", "stage", "timeoutMinutes", 0))));
        assertNull(new HaproxyStatusStep.DescriptorImpl().argumentsToString(Map.of("site", "  ")), "blank: not given");
        assertEquals("site: stage, liveRelease: 43, force: true", new SetHaproxyStep.DescriptorImpl()
                .argumentsToString(new LinkedHashMap<>(Map.of("site", "stage", "liveRelease", 43, "force", true))));
        Map<String, Object> validate = new LinkedHashMap<>();
        validate.put("site", "stage");
        validate.put("shards", List.of("stage-us-ashburn-1-s1", "stage-us-ashburn-1-s2"));
        validate.put("credentialsId", "prod-key");
        validate.put("knownHosts", "[h]:22 ssh-ed25519 AAAA");
        assertEquals("site: stage, shards: 2 entries", new ValidateShardStep.DescriptorImpl().argumentsToString(validate));
        assertEquals("siteFile: sites/stage.yaml, release: 42, timeoutMinutes: 30", new WaitHealthyShardsStep.DescriptorImpl()
                .argumentsToString(Map.of("siteFile", "sites/stage.yaml", "release", 42, "timeoutMinutes", 30)));
        assertEquals("site: stage, lock: haproxy-state", new WithEnvironmentLockStep.DescriptorImpl()
                .argumentsToString(Map.of("site", "stage", "lock", "haproxy-state")));

        String yaml = "name: stage\ndomain: stage.example.com\ncredentials:\n  consulToken: consul-token\nregions:\n"
                + "  - name: us-ashburn-1\n    consul: http://127.0.0.1:8500\n  - name: eu-frankfurt-1\n";
        Map<String, Object> withYaml = new LinkedHashMap<>();
        withYaml.put("siteYaml", yaml);
        withYaml.put("shard", "stage-us-ashburn-1-s2");
        withYaml.put("state", "drain");
        assertEquals("siteYaml: <site YAML: stage, 2 regions>, shard: stage-us-ashburn-1-s2, state: drain",
                new SetHaproxyStep.DescriptorImpl().argumentsToString(withYaml));
        for (StepDescriptor d : List.of(new HaproxyStatusStep.DescriptorImpl(), new ValidateShardStep.DescriptorImpl(),
                new WaitHealthyShardsStep.DescriptorImpl(), new WithEnvironmentLockStep.DescriptorImpl())) {
            assertEquals("siteYaml: <site YAML: stage, 2 regions>", d.argumentsToString(Map.of("siteYaml", yaml)), d.getFunctionName());
            assertEquals("siteYaml: <site YAML: not valid>", d.argumentsToString(Map.of("siteYaml", "- a\n- list\n")));
        }
    }

    @ParameterizedTest
    @ValueSource(classes = {HaproxyStatusStep.class, SetHaproxyStep.class, ValidateShardStep.class, WaitHealthyShardsStep.class,
            WithEnvironmentLockStep.class})
    void siteYamlIsATextAreaCheckedByAPostOnlyFormMethod(Class<?> stepClass) throws Exception {
        assertTrue(setterProperties(stepClass).containsAll(Set.of("site", "siteFile", "siteYaml")), "every step takes the three site forms");
        String jelly = resource(stepClass, "config.jelly");
        Matcher entry = Pattern.compile("<f:entry field=\"siteYaml\"[^>]*>\\s*<f:textarea checkMethod=\"post\"/>").matcher(jelly);
        assertTrue(entry.find(), stepClass.getSimpleName() + "/config.jelly: siteYaml must be a textarea checked with POST");
        Class<?> descriptorClass = nested(stepClass, "DescriptorImpl");
        Method check = descriptorClass.getMethod("doCheckSiteYaml", hudson.model.Item.class, String.class);
        assertEquals(hudson.util.FormValidation.class, check.getReturnType());
        assertNotNull(check.getAnnotation(org.kohsuke.stapler.verb.POST.class), "form checks answer POST only");
        assertNotNull(findAnnotation(check.getParameterAnnotations()[0], org.kohsuke.stapler.AncestorInPath.class));
        assertNotNull(findAnnotation(check.getParameterAnnotations()[1], org.kohsuke.stapler.QueryParameter.class));
        assertEquals("value", check.getParameters()[1].getName());
        String help = help(stepClass, "help-siteYaml.html");
        assertTrue(help.contains("node { }") && help.contains("siteYaml"), "help-siteYaml.html says it needs no workspace");
    }

    @ParameterizedTest
    @ValueSource(classes = {HaproxyStatusStep.class, SetHaproxyStep.class, ValidateShardStep.class, WaitHealthyShardsStep.class,
            WithEnvironmentLockStep.class})
    void everyCheckedFormFieldHasAPostOnlyCheckMethodApplyingTheStepsRule(Class<?> stepClass) throws Exception {
        String jelly = resource(stepClass, "config.jelly");
        Set<String> checked = new TreeSet<>();
        Matcher entry = Pattern.compile("<f:entry field=\"([A-Za-z]+)\"[^>]*>\\s*<f:(textbox|textarea)( checkMethod=\"post\")?/>").matcher(jelly);
        while (entry.find()) {
            assertNotNull(entry.group(3), stepClass.getSimpleName() + "/config.jelly: " + entry.group(1)
                    + " must be checked with POST (the step's rule, shown while typing)");
            checked.add(entry.group(1));
        }
        Class<?> descriptorClass = nested(stepClass, "DescriptorImpl");
        Set<String> methods = new TreeSet<>();
        for (Method m : descriptorClass.getMethods()) {
            if (m.getName().startsWith("doCheck")) {
                methods.add(Character.toLowerCase(m.getName().charAt(7)) + m.getName().substring(8));
                assertNotNull(m.getAnnotation(org.kohsuke.stapler.verb.POST.class), m + ": form checks answer POST only");
                assertEquals(List.of(hudson.model.Item.class, String.class), List.of(m.getParameterTypes()), m.toString());
                assertEquals(hudson.util.FormValidation.class, m.getReturnType());
                assertNotNull(findAnnotation(m.getParameterAnnotations()[0], org.kohsuke.stapler.AncestorInPath.class));
                assertNotNull(findAnnotation(m.getParameterAnnotations()[1], org.kohsuke.stapler.QueryParameter.class));
                assertEquals("value", m.getParameters()[1].getName());
            }
        }
        assertEquals(checked, methods, stepClass.getSimpleName() + ": every text field is checked, and only form fields are");
    }

    @Test
    void formChecksGiveTheMessageStartGives() {
        io.infrasteps.plugin.common.StepArguments args = new SetHaproxyStep().arguments();
        assertNull(args.problem("site", "stage"));
        assertNull(args.problem("site", ""), "an empty field is not given");
        assertEquals("site: is not valid (contains ';' at position 5); allowed: lower-case letters, digits and '-', starting with a "
                + "letter or digit, at most 63 characters", args.problem("site", "stage;x"));
        assertEquals("state: is not a server state; allowed: ready, drain or maint", args.problem("state", "READY"));
        assertEquals("upMap: is not valid (contains ';' at position 2); allowed: an absolute path of letters, digits, '.', '_', '-' "
                + "and '/', without '..' segments", args.problem("upMap", "/x;y"));
        assertEquals("weight: is too large; allowed: an integer from 0 to 256", args.problem("weight", 257));
        assertEquals("lock: is not valid (contains a newline at position 1); allowed: lower-case letters, digits and '-', starting with a "
                + "letter or digit, at most 63 characters", new WithEnvironmentLockStep().arguments().problem("lock", "a\nb"));
    }

    static java.lang.annotation.Annotation findAnnotation(java.lang.annotation.Annotation[] annotations,
            Class<? extends java.lang.annotation.Annotation> type) {
        for (java.lang.annotation.Annotation a : annotations) {
            if (type.isInstance(a)) {
                return a;
            }
        }
        return null;
    }

    @Test
    void resultsExposeOnlyWhitelistedGetters() {
        for (Class<?> result : List.of(HaproxyStatusResult.class, HaproxyChangeResult.class, ShardValidationResult.class,
                ShardValidationResult.Shard.class, ShardValidationResult.Check.class, HealthyShardsResult.class)) {
            assertTrue(Serializable.class.isAssignableFrom(result));
            for (Method m : result.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers()) && !m.getName().equals("toString")) {
                    assertNotNull(m.getAnnotation(Whitelisted.class), m + " is not @Whitelisted: sandboxed scripts would need approval");
                }
            }
        }
    }

    @Test
    void globalConfigurationIsAnExtensionWithItsSymbol() {
        assertNotNull(InfraStepsConfiguration.class.getAnnotation(Extension.class));
        assertEquals(List.of("infraSteps"), List.of(InfraStepsConfiguration.class.getAnnotation(Symbol.class).value()));
        Class<?> siteDescriptor = nested(SiteDefinition.class, "DescriptorImpl");
        assertNotNull(siteDescriptor.getAnnotation(Extension.class));
    }

    @Test
    void compiledWithParameterNamesForDataBoundConstructors() throws Exception {
        Constructor<SiteDefinition> ctor = SiteDefinition.class.getConstructor(String.class, String.class);
        assertNotNull(ctor.getAnnotation(DataBoundConstructor.class));
        assertTrue(ctor.getParameters()[0].isNamePresent(), "compile with -parameters");
        assertEquals("name", ctor.getParameters()[0].getName());
        assertEquals("yaml", ctor.getParameters()[1].getName());
    }
}
