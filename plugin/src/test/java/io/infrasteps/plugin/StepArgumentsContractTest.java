package io.infrasteps.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import hudson.AbortException;
import io.infrasteps.plugin.common.AbstractSiteStep;
import io.infrasteps.plugin.common.StepArguments;
import io.infrasteps.plugin.haproxy.FakeStepContext;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * What every step's arguments promise, checked over every step the plugin indexes (found through the
 * {@code @Symbol} index, as Jenkins finds them) and every {@code @DataBoundSetter} and {@code @DataBoundConstructor}
 * they have, so that a new step or a new argument is covered without editing this test:
 * <ul>
 * <li>binding never throws: Pipeline binds arguments through structs' {@code DescribableModel.instantiate}, which
 * wraps an exception from a setter or constructor in a message printing every argument's value; and the getters return
 * what was set (the Snippet Generator round-trips);</li>
 * <li>every argument is declared in the step's table ({@link AbstractSiteStep#arguments()}), so start() checks it;</li>
 * <li>hostile values are refused by start(), before anything runs, with a message naming the argument and the allowed
 * form, without control characters and without the value;</li>
 * <li>the displayed arguments never show a value that is not valid.</li>
 * </ul>
 */
class StepArgumentsContractTest {

    /** A valid site, given as siteYaml: steps start without a configured site or a workspace. */
    static final String VALID_SITE = """
            name: stage
            domain: stage.example.com
            credentials:
              consulToken: consul-acl-token
            regions:
              - name: us-ashburn-1
                consul: http://127.0.0.1:8500
                haproxy:
                  - name: haproxy-a
                    address: tcp://127.0.0.1:9999
              - name: eu-frankfurt-1
            """;

    static final String LONG = "a".repeat(10_000);

    /** String values no name-like argument accepts (the first three are blank: "not given"). */
    static final List<String> HOSTILE = List.of("", "   ", "\t", ";", "a;b", "stage;rm -rf /", "a\nb", "a\r\nb",
            "stage\n[Pipeline] fake line", "../x", "../../etc/passwd", "x/../y", "a b", " inner space x", LONG, "ünïcödé", "站点",
            "stage\u0000", "\u0000", "$(id)", "`id`", "a|b", "a&b", "\u001b[31mred", "stage\u2028x", "%2e%2e/", "'quoted'",
            "\"double\"", "${env.SECRET}", "C:\\x", "~/x");

    /** The allowed range of every whole-number argument (a new one must be added here). */
    static final Map<String, int[]> RANGES = Map.of(
            "weight", new int[] {0, 256},
            "liveRelease", new int[] {1, 999_999_999},
            "release", new int[] {1, 999_999_999},
            "timeoutMinutes", new int[] {1, 1440},
            "waitSeconds", new int[] {0, 3600},
            "ttlSeconds", new int[] {10, 86_400});

    /** A well-formed i-th entry of every list argument, for the bounds and duplicates (a new one must be added here). */
    static final Map<String, IntFunction<String>> LIST_ENTRIES = Map.of(
            "proxies", i -> "tcp://127.0.0.1:" + (1000 + i),
            "regions", i -> "region-" + i,
            "shards", i -> "stage-us-ashburn-1-s" + (i + 1));

    /** A valid, startable step of each kind (a new step must be added here). */
    static final Map<String, Consumer<Step>> BASELINES = Map.of(
            "haproxyStatus", step -> { },
            "setHaproxy", step -> {
                set(step, "shard", "stage-us-ashburn-1-s1");
                set(step, "state", "drain");
            },
            "validateShard", step -> set(step, "shards", List.of("stage-us-ashburn-1-s1")),
            "waitHealthyShards", step -> set(step, "release", 42),
            "withEnvironmentLock", step -> { });

    // ---- the steps and their arguments, found by reflection ----

    /** Every step class, through the plugin's @Symbol index (descriptors that are StepDescriptors, nested in their step). */
    static List<Class<? extends Step>> steps() {
        Set<String> names = new TreeSet<>();
        try {
            Enumeration<URL> indexes = StepArgumentsContractTest.class.getClassLoader()
                    .getResources("META-INF/services/annotations/org.jenkinsci.Symbol");
            while (indexes.hasMoreElements()) {
                try (InputStream in = indexes.nextElement().openStream();
                     BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    reader.lines().map(String::strip).filter(l -> l.startsWith("io.infrasteps.plugin.")).forEach(names::add);
                }
            }
            List<Class<? extends Step>> steps = new ArrayList<>();
            for (String name : names) {
                Class<?> c = Class.forName(name);
                if (StepDescriptor.class.isAssignableFrom(c)) {
                    Class<?> outer = c.getEnclosingClass();
                    assertNotNull(outer, name + " is not nested in its step");
                    steps.add(outer.asSubclass(Step.class));
                }
            }
            assertTrue(steps.size() >= 5, "the Symbol index lists the steps: " + steps);
            return steps;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static StepDescriptor descriptor(Class<?> stepClass) {
        for (Class<?> c : stepClass.getDeclaredClasses()) {
            if (StepDescriptor.class.isAssignableFrom(c)) {
                try {
                    return (StepDescriptor) c.getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError(stepClass + " has no descriptor");
    }

    static String function(Class<?> stepClass) {
        return descriptor(stepClass).getFunctionName();
    }

    /** @DataBoundSetter methods by property name (the class's and its superclasses'). */
    static Map<String, Method> setters(Class<?> stepClass) {
        Map<String, Method> out = new TreeMap<>();
        for (Method m : stepClass.getMethods()) {
            if (m.isAnnotationPresent(DataBoundSetter.class)) {
                out.put(Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4), m);
            }
        }
        return out;
    }

    static Method getter(Class<?> stepClass, String property) {
        String cap = Character.toUpperCase(property.charAt(0)) + property.substring(1);
        try {
            return stepClass.getMethod("get" + cap);
        } catch (NoSuchMethodException e) {
            try {
                return stepClass.getMethod("is" + cap);
            } catch (NoSuchMethodException e2) {
                throw new AssertionError(stepClass.getSimpleName() + "." + property + " has no getter: the Snippet Generator cannot show it");
            }
        }
    }

    static Step newStep(Class<? extends Step> stepClass) {
        try {
            return stepClass.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    static void set(Step step, String property, Object value) {
        Method setter = setters(step.getClass()).get(property);
        assertNotNull(setter, step.getClass().getSimpleName() + " has no argument " + property);
        try {
            setter.invoke(step, value);
        } catch (InvocationTargetException e) {
            throw new AssertionError("the setter of " + property + " threw", e.getCause());
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static Object get(Step step, String property) {
        try {
            return getter(step.getClass(), property).invoke(step);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** The step as its baseline: a valid site (siteYaml) and whatever else it needs to start. */
    static Step baseline(Class<? extends Step> stepClass) {
        Step step = newStep(stepClass);
        Consumer<Step> configure = BASELINES.get(function(stepClass));
        assertNotNull(configure, "add a baseline for " + function(stepClass) + " to BASELINES");
        set(step, "siteYaml", VALID_SITE);
        configure.accept(step);
        return step;
    }

    /** Values of every type a setter may take: strings, lists, numbers, booleans. */
    static List<Object> valuesFor(Class<?> type) {
        List<Object> values = new ArrayList<>();
        if (type == String.class) {
            values.add(null);
            values.addAll(HOSTILE);
            values.add("x".repeat(2_000_000));
        } else if (List.class.isAssignableFrom(type)) {
            values.add(null);
            values.add(List.of());
            for (String v : HOSTILE) {
                values.add(List.of(v));
            }
            values.add(Arrays.asList((String) null));
            values.add(List.of(42, true, List.of()));
            values.add(java.util.Collections.nCopies(100_000, "x"));
        } else if (type == Integer.class || type == int.class) {
            if (type == Integer.class) {
                values.add(null);
            }
            for (int v : new int[] {Integer.MIN_VALUE, -1_000_000_000, -1, 0, 1, 9, 10, 256, 257, 1440, 1441, 3600, 3601, 86_400,
                    86_401, 999_999_999, 1_000_000_000, Integer.MAX_VALUE}) {
                values.add(v);
            }
        } else if (type == boolean.class || type == Boolean.class) {
            values.add(true);
            values.add(false);
        } else {
            fail("no sample values for arguments of type " + type + ": add them here");
        }
        return values;
    }

    // ---- binding never throws, and the getters return what was set ----

    @Test
    void everySetterAcceptsAnyValueWithoutThrowingAndItsGetterReturnsIt() throws Exception {
        int checked = 0;
        for (Class<? extends Step> stepClass : steps()) {
            for (Map.Entry<String, Method> e : setters(stepClass).entrySet()) {
                String property = e.getKey();
                Method setter = e.getValue();
                assertTrue(Modifier.isPublic(setter.getModifiers()) && setter.getParameterCount() == 1, setter.toString());
                for (Object value : valuesFor(setter.getParameterTypes()[0])) {
                    Step step = newStep(stepClass);
                    try {
                        setter.invoke(step, value);
                    } catch (InvocationTargetException x) {
                        fail(stepClass.getSimpleName() + "." + setter.getName() + " threw " + x.getCause()
                                + ": a setter must only record its value (Pipeline would print every argument)");
                    }
                    Object back = get(step, property);
                    if (value instanceof String s && s.isBlank() || value instanceof List<?> l && l.isEmpty()) {
                        assertNull(back, property + ": an empty form field means not given (the Snippet Generator shows nothing)");
                    } else if (value instanceof String) {
                        assertSame(value, back, stepClass.getSimpleName() + "." + property + " returns what was set");
                    } else {
                        assertEquals(value, back, stepClass.getSimpleName() + "." + property + " returns what was set");
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 500, "checked " + checked);
    }

    @Test
    void everyDataBoundConstructorAcceptsAnyValueWithoutThrowing() throws Exception {
        for (Class<? extends Step> stepClass : steps()) {
            List<Constructor<?>> bound = Arrays.stream(stepClass.getConstructors())
                    .filter(c -> c.isAnnotationPresent(DataBoundConstructor.class)).collect(Collectors.toList());
            assertEquals(1, bound.size(), stepClass + " has one @DataBoundConstructor");
            Constructor<?> ctor = bound.get(0);
            Parameter[] parameters = ctor.getParameters();
            List<List<Object>> pools = new ArrayList<>();
            int rounds = 1;
            for (Parameter p : parameters) {
                List<Object> pool = valuesFor(p.getType());
                pools.add(pool);
                rounds = Math.max(rounds, pool.size());
            }
            for (int round = 0; round < rounds; round++) {
                Object[] args = new Object[parameters.length];
                for (int i = 0; i < args.length; i++) {
                    args[i] = pools.get(i).get(round % pools.get(i).size());
                }
                try {
                    ctor.newInstance(args);
                } catch (InvocationTargetException x) {
                    fail(ctor + " threw " + x.getCause() + ": a constructor must only record its values");
                }
            }
        }
    }

    @Test
    void everyArgumentIsDeclaredInItsStepsTableSoStartChecksIt() {
        for (Class<? extends Step> stepClass : steps()) {
            assertTrue(AbstractSiteStep.class.isAssignableFrom(stepClass), stepClass.getSimpleName()
                    + " must extend AbstractSiteStep, whose final start() checks every argument before anything runs");
            AbstractSiteStep step = (AbstractSiteStep) newStep(stepClass);
            assertEquals(setters(stepClass).keySet(), new TreeSet<>(step.arguments().names()),
                    stepClass.getSimpleName() + ": the table of arguments and the @DataBoundSetters must agree");
            assertEquals(step.arguments().names().size(), new TreeSet<>(step.arguments().names()).size());
        }
    }

    // ---- hostile values are refused when the step starts ----

    record Case(String function, Class<? extends Step> stepClass, String property, Object value, String label) {
        @Override
        public String toString() {
            return function + " " + property + " = " + label;
        }
    }

    static String label(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(24).forEach(cp -> out.append(cp < 0x20 || cp == 0x7f || cp == 0x2028 ? String.format("\\u%04x", cp)
                : new String(Character.toChars(cp))));
        return s.length() > 24 ? out + "... (" + s.length() + " chars)" : out.toString();
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (Class<? extends Step> stepClass : steps()) {
            String fn = function(stepClass);
            for (Map.Entry<String, Method> e : setters(stepClass).entrySet()) {
                String p = e.getKey();
                Class<?> type = e.getValue().getParameterTypes()[0];
                if (type == String.class) {
                    HOSTILE.forEach(v -> cases.add(new Case(fn, stepClass, p, v, label(v))));
                } else if (List.class.isAssignableFrom(type)) {
                    HOSTILE.forEach(v -> cases.add(new Case(fn, stepClass, p, List.of(v), "[" + label(v) + "]")));
                    IntFunction<String> entry = LIST_ENTRIES.get(p);
                    assertNotNull(entry, "add well-formed entries of " + p + " to LIST_ENTRIES");
                    List<String> many = new ArrayList<>();
                    for (int i = 0; i < 300; i++) {
                        many.add(entry.apply(i));
                    }
                    cases.add(new Case(fn, stepClass, p, many, "300 entries"));
                    cases.add(new Case(fn, stepClass, p, List.of(entry.apply(0), entry.apply(0)), "a repeated entry"));
                    cases.add(new Case(fn, stepClass, p, Arrays.asList(entry.apply(0), null), "a null entry"));
                    cases.add(new Case(fn, stepClass, p, List.of(entry.apply(0), 42), "a number entry"));
                } else if (type == Integer.class || type == int.class) {
                    int[] range = RANGES.get(p);
                    assertNotNull(range, "add the range of " + p + " to RANGES");
                    for (int v : new int[] {range[0] - 1, range[1] + 1, 0, -1, -42, Integer.MIN_VALUE, Integer.MAX_VALUE, range[0],
                            range[1]}) {
                        cases.add(new Case(fn, stepClass, p, v, String.valueOf(v)));
                    }
                } else {
                    for (boolean v : new boolean[] {true, false}) {
                        cases.add(new Case(fn, stepClass, p, v, String.valueOf(v)));
                    }
                }
            }
        }
        return cases;
    }

    /** What start() fails with, or null when it starts; nothing may have run either way. */
    static String startOutcome(Step step) {
        FakeStepContext context = new FakeStepContext();
        String message = null;
        try {
            assertNotNull(step.start(context));
        } catch (AbortException e) {
            message = e.getMessage();
        } catch (Exception e) {
            throw new AssertionError("start() must fail with an AbortException (a message, no stack trace)", e);
        }
        assertEquals("", context.console(), "nothing may run before the arguments are valid");
        assertFalse(context.isDone());
        return message;
    }

    /** Whether a value is one the argument accepts (or treats as not given). */
    static boolean acceptable(String property, Object value) {
        if (value instanceof Boolean) {
            return true;
        }
        if (value instanceof Integer v) {
            int[] range = RANGES.get(property);
            return v >= range[0] && v <= range[1];
        }
        if (value instanceof String s) {
            if (s.isBlank()) {
                return true; // not given
            }
            if (property.equals("knownHosts")) {
                return s.length() <= StepArguments.MAX_KNOWN_HOSTS && s.chars().allMatch(c -> c == '\n' || c == '\r' || c == '\t'
                        || c >= 0x20 && c < 0x7f);
            }
        }
        return false;
    }

    /** The argument an error is about: "p", "p[i]", or a list "p, q" of arguments that combine badly. */
    static String fieldOf(String function, String message) {
        String rest = message.substring(function.length() + 2);
        return rest.substring(0, rest.indexOf(": "));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void hostileValuesAreRefusedWhenTheStepStartsNamingTheArgument(Case c) {
        Step step = baseline(c.stepClass);
        set(step, c.property, c.value); // never throws (see above)
        String message = startOutcome(step);
        if (message == null) {
            assertTrue(acceptable(c.property, c.value), c + ": start() accepted a value the argument does not allow");
            return;
        }
        assertTrue(message.startsWith(c.function + ": "), message);
        String field = fieldOf(c.function, message);
        boolean named = field.equals(c.property) || field.startsWith(c.property + "[")
                || Arrays.asList(field.split(", ")).contains(c.property);
        assertTrue(named, c + ": the message must name " + c.property + ": " + message);
        assertTrue(message.contains("; allowed: "), c + ": the message must say what is allowed: " + message);
        assertNoControlCharacters(message);
        assertTrue(message.length() < 700, "message too long: " + message.length());
        if (!acceptable(c.property, c.value)) {
            assertTrue(field.equals(c.property) || field.startsWith(c.property + "["), c + ": refused for its own form: " + message);
        }
        assertDoesNotEcho(message, c.value);
        if (c.value instanceof Integer v && !acceptable(c.property, v)) {
            int[] range = RANGES.get(c.property);
            assertTrue(message.startsWith(c.function + ": " + c.property + ": is too " + (v < range[0] ? "small" : "large")
                    + "; allowed: an integer from " + range[0] + " to " + range[1]), message);
        }
    }

    static void assertNoControlCharacters(String message) {
        for (int i = 0; i < message.length(); i++) {
            char ch = message.charAt(i);
            assertFalse(Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029' || Character.isSurrogate(ch),
                    String.format("control character U+%04X in: %s", (int) ch, message));
        }
    }

    /**
     * The value is not in the message: a string of two characters or more, each entry of a list, or a number in what
     * the message says about the value (the allowed range may of course contain its digits).
     */
    static void assertDoesNotEcho(String message, Object value) {
        if (value instanceof String s) {
            String v = StepArguments.fixEmpty(s);
            if (v != null && v.length() >= 2) {
                assertFalse(message.contains(v), "the message echoes the value: " + message);
            }
        } else if (value instanceof List<?> list) {
            for (Object entry : list) {
                String s = entry instanceof String ? ((String) entry).strip() : "";
                if (s.length() >= 2 && !s.matches("[a-z0-9:/.-]+")) {
                    assertFalse(message.contains(s), "the message echoes an entry: " + message);
                }
            }
        } else if (value instanceof Integer v) {
            String problem = message.contains("; allowed: ") ? message.substring(0, message.indexOf("; allowed: ")) : message;
            assertFalse(problem.matches(".*(?<![0-9])" + java.util.regex.Pattern.quote(String.valueOf(v)) + "(?![0-9]).*"),
                    "the message echoes the number: " + message);
        }
    }

    // ---- what the Pipeline graph shows ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void displayedArgumentsNeverShowAValueThatIsNotValid(Case c) {
        Map<String, Object> args = new HashMap<>();
        args.put(c.property, c.value);
        String shown = descriptor(c.stepClass).argumentsToString(args);
        if (shown == null) {
            return; // not displayed (credentials, known_hosts, a blank value)
        }
        assertNoControlCharacters(shown);
        assertTrue(shown.startsWith(c.property + ": "), shown);
        String rendered = shown.substring(c.property.length() + 2);
        if (!acceptable(c.property, c.value)) {
            assertTrue(rendered.equals(StepArguments.INVALID) || rendered.equals("<site YAML: not valid>"), c + " is shown as " + shown);
            assertDoesNotEcho(rendered, c.value);
        }
    }

    @Test
    void validValuesAreDisplayedAsChecked() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("site", " stage ");
        args.put("siteFile", "sites/stage.yaml");
        args.put("shard", "stage-us-ashburn-1-s2");
        args.put("state", "drain");
        args.put("weight", 0);
        args.put("liveRelease", 0);
        args.put("proxies", List.of("tcp://127.0.0.1:1", "bad entry"));
        args.put("regions", List.of("us-ashburn-1"));
        args.put("knownHosts", "[h]:22 ssh-ed25519 AAAA");
        args.put("credentialsId", "prod-key");
        assertEquals("site: stage, siteFile: sites/stage.yaml, proxies: <invalid>, regions: 1 entries, shard: stage-us-ashburn-1-s2, "
                + "state: drain, weight: 0, liveRelease: <invalid>", descriptor(io.infrasteps.plugin.haproxy.SetHaproxyStep.class)
                .argumentsToString(args));
    }

    // ---- the checked values are what the execution uses ----

    @Test
    void aValueSetWithSpacesAroundItIsReturnedAsGivenAndUsedTrimmed() throws Exception {
        for (Class<? extends Step> stepClass : steps()) {
            AbstractSiteStep step = (AbstractSiteStep) newStep(stepClass);
            BASELINES.get(function(stepClass)).accept(step);
            step.setSite(" stage ");
            assertEquals(" stage ", step.getSite(), "the Snippet Generator shows what was given");
            assertEquals("stage", AbstractSiteStep.SITE.value(step));
            assertEquals("site stage", step.siteRef().toString());
        }
    }

    @Test
    void withEveryArgumentHostileStartNamesTheFirstInTheTablesOrder() {
        for (Class<? extends Step> stepClass : steps()) {
            Step step = newStep(stepClass);
            for (Map.Entry<String, Method> e : setters(stepClass).entrySet()) {
                Class<?> type = e.getValue().getParameterTypes()[0];
                Object hostile = type == String.class ? "a;b\n" : List.class.isAssignableFrom(type) ? List.of("a;b\n")
                        : type == Integer.class ? Integer.MIN_VALUE : Boolean.TRUE;
                set(step, e.getKey(), hostile);
            }
            AbortException refused = assertThrows(AbortException.class, () -> step.start(new FakeStepContext()));
            assertTrue(refused.getMessage().startsWith(function(stepClass) + ": site: is not valid"), refused.getMessage());
        }
    }
}
