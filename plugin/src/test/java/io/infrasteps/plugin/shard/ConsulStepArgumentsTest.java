package io.infrasteps.plugin.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.plugin.consul.WithEnvironmentLockStep;
import io.infrasteps.plugin.haproxy.FakeStepContext;
import io.infrasteps.plugin.haproxy.SetHaproxyStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every argument of validateShard, waitHealthyShards, withEnvironmentLock and setHaproxy's liveRelease is checked when
 * the step starts (its setter only records it), before any file, credential or network access, with a message naming
 * it and the allowed form and never echoing the hostile value. {@link io.infrasteps.plugin.StepArgumentsContractTest}
 * checks the same for every argument of every step by reflection; these are these steps' own cases and exact messages.
 */
class ConsulStepArgumentsTest {

    static final String LONG = "a".repeat(10_000);

    /** Values no name-like argument accepts. */
    static List<String> hostile() {
        return List.of(";", "a;b", "a\nb", "a\r\nb", "../x", "../../etc/passwd", "a b", " inner space x", LONG, "ünïcödé", "站点",
                "stage\u0000", "$(id)", "`id`", "a|b", "\u001b[31mred", "stage\u2028x", "%2e%2e/", "x/../y");
    }

    /** An argument, and how it is given to an otherwise valid step of its kind. */
    record Setter(String function, String field, Function<String, Step> make) {
    }

    static ValidateShardStep validate() {
        ValidateShardStep step = new ValidateShardStep();
        step.setSite("stage");
        step.setShards(List.of("stage-us-ashburn-1-s1"));
        return step;
    }

    static WaitHealthyShardsStep waiting() {
        WaitHealthyShardsStep step = new WaitHealthyShardsStep();
        step.setSite("stage");
        step.setRelease(42);
        return step;
    }

    static WithEnvironmentLockStep lock() {
        WithEnvironmentLockStep step = new WithEnvironmentLockStep();
        step.setSite("stage");
        return step;
    }

    static <S extends Step> Setter setter(String function, String field, Supplier<S> make, BiConsumer<S, String> set) {
        return new Setter(function, field, v -> {
            S step = make.get();
            set.accept(step, v);
            return step;
        });
    }

    static List<Setter> stringSetters() {
        return List.of(
                setter("validateShard", "site", ConsulStepArgumentsTest::validate, ValidateShardStep::setSite),
                setter("waitHealthyShards", "site", ConsulStepArgumentsTest::waiting, WaitHealthyShardsStep::setSite),
                setter("withEnvironmentLock", "site", ConsulStepArgumentsTest::lock, WithEnvironmentLockStep::setSite),
                setter("validateShard", "siteFile", ConsulStepArgumentsTest::validate, ValidateShardStep::setSiteFile),
                setter("waitHealthyShards", "siteFile", ConsulStepArgumentsTest::waiting, WaitHealthyShardsStep::setSiteFile),
                setter("withEnvironmentLock", "siteFile", ConsulStepArgumentsTest::lock, WithEnvironmentLockStep::setSiteFile),
                setter("validateShard", "credentialsId", ConsulStepArgumentsTest::validate, ValidateShardStep::setCredentialsId),
                setter("withEnvironmentLock", "lock", ConsulStepArgumentsTest::lock, WithEnvironmentLockStep::setLock),
                setter("validateShard", "shards[0]", ConsulStepArgumentsTest::validate, (s, v) -> s.setShards(List.of(v))),
                setter("waitHealthyShards", "shards[1]", ConsulStepArgumentsTest::waiting,
                        (s, v) -> s.setShards(List.of("stage-us-ashburn-1-s1", v))));
    }

    static List<Object[]> hostileCases() {
        List<Object[]> cases = new ArrayList<>();
        for (Setter s : stringSetters()) {
            for (String v : hostile()) {
                cases.add(new Object[] {s.function + " " + s.field, s, v});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} rejects hostile value #{index}")
    @MethodSource("hostileCases")
    void rejectsHostileValuesWhenTheStepStartsNamingTheParameter(String name, Setter setter, String value) {
        Step step = setter.make.apply(value); // the setter records the value and never throws
        String message = startFailure(step);
        assertTrue(message.startsWith(setter.function + ": " + setter.field + ": "), message);
        assertTrue(message.contains("; allowed: "), "message must say what is allowed: " + message);
        assertSafe(message, value);
    }

    /** The message never echoes a hostile value: no control character, no long value, bounded. */
    static void assertSafe(String message, String value) {
        assertFalse(message.contains("\n") || message.contains("\r") || message.contains("\u0000") || message.contains("\u001b")
                || message.contains("\u2028"), "control character in message: " + message);
        assertTrue(message.length() < 700, "message too long: " + message.length());
        String v = value.strip();
        if (v.length() > 1) {
            assertFalse(message.contains(v), "message echoes the value: " + message);
        }
    }

    record NumberSetter(String function, String field, Supplier<Step> make, BiConsumer<Step, Integer> set, int[] rejected,
            int[] accepted, String allowed) {
    }

    static <S extends Step> NumberSetter number(String function, String field, Supplier<S> make, BiConsumer<S, Integer> set,
            int[] rejected, int[] accepted, String allowed) {
        @SuppressWarnings("unchecked")
        BiConsumer<Step, Integer> any = (step, v) -> set.accept((S) step, v);
        return new NumberSetter(function, field, make::get, any, rejected, accepted, allowed);
    }

    static List<NumberSetter> numberSetters() {
        return List.of(
                number("waitHealthyShards", "release", ConsulStepArgumentsTest::waiting, WaitHealthyShardsStep::setRelease,
                        new int[] {0, -1, -42, Integer.MIN_VALUE, 1_000_000_000, Integer.MAX_VALUE},
                        new int[] {1, 42, 999_999_999}, "an integer from 1 to 999999999"),
                number("waitHealthyShards", "timeoutMinutes", ConsulStepArgumentsTest::waiting, WaitHealthyShardsStep::setTimeoutMinutes,
                        new int[] {0, -1, -20, Integer.MIN_VALUE, 1441, Integer.MAX_VALUE},
                        new int[] {1, 20, 1440}, "an integer from 1 to 1440"),
                number("withEnvironmentLock", "waitSeconds", ConsulStepArgumentsTest::lock, WithEnvironmentLockStep::setWaitSeconds,
                        new int[] {-1, -3600, Integer.MIN_VALUE, 3601, Integer.MAX_VALUE},
                        new int[] {0, 1, 3600}, "an integer from 0 to 3600"),
                number("withEnvironmentLock", "ttlSeconds", ConsulStepArgumentsTest::lock, WithEnvironmentLockStep::setTtlSeconds,
                        new int[] {0, -1, 9, Integer.MIN_VALUE, 86_401, Integer.MAX_VALUE},
                        new int[] {10, 120, 86_400}, "an integer from 10 to 86400"),
                number("setHaproxy", "liveRelease", () -> {
                    SetHaproxyStep s = new SetHaproxyStep();
                    s.setSite("stage");
                    return s;
                }, SetHaproxyStep::setLiveRelease, new int[] {0, -1, -7, Integer.MIN_VALUE, 1_000_000_000},
                        new int[] {1, 43, 999_999_999}, "an integer from 1 to 999999999"));
    }

    @Test
    void numbersOutOfRangeAreRejectedWhenTheStepStartsNamingTheParameterNotTheNumber() throws Exception {
        for (NumberSetter n : numberSetters()) {
            for (int bad : n.rejected) {
                Step step = n.make.get();
                n.set.accept(step, bad); // recorded as given
                String message = startFailure(step);
                int min = Integer.parseInt(n.allowed.split(" ")[3]);
                String problem = bad < min ? "is too small" : "is too large";
                assertEquals(n.function + ": " + n.field + ": " + problem + "; allowed: " + n.allowed, message, n.field + " " + bad);
            }
            for (int good : n.accepted) {
                Step step = n.make.get();
                n.set.accept(step, good);
                assertNotNull(step.start(new FakeStepContext()), n.field + " " + good);
            }
        }
    }

    @Test
    void theCheckedNumbersAndDefaultsAreWhatTheExecutionGets() throws Exception {
        WaitHealthyShardsStep wait = waiting();
        assertEquals(WaitHealthyShardsStep.DEFAULT_TIMEOUT_MINUTES, wait.timeoutMinutes());
        wait.setTimeoutMinutes(30);
        assertEquals(30, wait.timeoutMinutes());
        assertEquals(30, wait.getTimeoutMinutes());
        assertEquals(42, wait.release());
    }

    @Test
    void knownHostsIsBoundedPrintableText() {
        for (String text : List.of("x".repeat(70_000), "[h]:22 ssh-ed25519 AAAA\u0000", "[h]:22 ssh-ed25519 AAAÄ", "\u001b[2J", "站点")) {
            ValidateShardStep step = validate();
            step.setKnownHosts(text);
            assertEquals(text, step.getKnownHosts());
            String message = startFailure(step);
            assertTrue(message.startsWith("validateShard: knownHosts: "), message);
            assertSafe(message, text);
        }
    }

    @Test
    void emptyMeansNotGiven() throws Exception {
        ValidateShardStep validate = new ValidateShardStep();
        WithEnvironmentLockStep lock = new WithEnvironmentLockStep();
        WaitHealthyShardsStep wait = new WaitHealthyShardsStep();
        for (String empty : Arrays.asList(null, "", "   ", "\t")) {
            validate.setSite(empty);
            validate.setSiteFile(empty);
            validate.setCredentialsId(empty);
            validate.setKnownHosts(empty);
            lock.setLock(empty);
            assertNull(validate.getSite());
            assertNull(validate.getSiteFile());
            assertNull(validate.getCredentialsId());
            assertNull(validate.getKnownHosts());
            assertNull(lock.getLock());
        }
        validate.setShards(List.of());
        wait.setShards(null);
        wait.setRelease(null);
        wait.setTimeoutMinutes(null);
        lock.setWaitSeconds(null);
        assertNull(validate.getShards());
        assertNull(wait.getShards());
        assertNull(wait.getRelease());
        assertNull(wait.getTimeoutMinutes());
        assertNull(lock.getWaitSeconds());
        lock.setSite("stage");
        assertNotNull(lock.start(new FakeStepContext()), "an empty lock name is the default one");
    }

    @Test
    void shardListsAreBoundedDistinctAndOfStrings() {
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            many.add("stage-us-ashburn-1-s" + i);
        }
        assertEquals("validateShard: shards: has 300 entries; allowed: at most 256", startFailure(withShards(many)));
        assertTrue(startFailure(withShards(List.of("stage-us-ashburn-1-s1", "stage-us-ashburn-1-s1")))
                .startsWith("validateShard: shards[1]: repeats an earlier entry"));
        assertTrue(startFailure(withShards(Arrays.asList("stage-us-ashburn-1-s1", ""))).startsWith("validateShard: shards[1]: is empty"));
        assertTrue(startFailure(withShards(Arrays.asList((String) null))).startsWith("validateShard: shards[0]: is null"));
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<String> numbers = (List) List.of(42);
        assertTrue(startFailure(withShards(numbers)).startsWith("validateShard: shards[0]: is not a string"));
        assertTrue(startFailure(withShards(List.of("-rf"))).startsWith("validateShard: shards[0]: is not valid"));
    }

    static ValidateShardStep withShards(List<String> shards) {
        ValidateShardStep step = validate();
        step.setShards(shards);
        assertEquals(shards, step.getShards(), "recorded as given");
        return step;
    }

    @Test
    void acceptsWellFormedValues() throws Exception {
        ValidateShardStep validate = new ValidateShardStep();
        validate.setSite(" stage ");
        assertEquals(" stage ", validate.getSite());
        validate.setShards(List.of("stage-us-ashburn-1-s2", "stage-eu-frankfurt-1-s3"));
        validate.setCredentialsId("haproxy-ssh_key.1");
        assertNotNull(validate.start(new FakeStepContext()));
        assertEquals("site stage", validate.siteRef().toString());
        WithEnvironmentLockStep lock = new WithEnvironmentLockStep();
        lock.setLock("haproxy-state");
        lock.setSiteFile("sites/stage.yaml");
        assertEquals("sites/stage.yaml", lock.getSiteFile());
        assertNotNull(lock.start(new FakeStepContext()));
    }

    // ---- how arguments combine: checked by start(), before any execution exists ----

    static String startFailure(Step step) {
        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class, () -> step.start(context));
        assertEquals("", context.console(), "nothing may run before the arguments are valid");
        assertFalse(context.isDone());
        return e.getMessage();
    }

    @Test
    void aSiteIsRequiredExactlyOnce() {
        assertEquals("validateShard: site, siteFile, siteYaml: none is given; allowed: exactly one of site (a configured site), "
                + "siteFile (site YAML in the workspace) or siteYaml (the site YAML text)", startFailure(new ValidateShardStep()));
        WaitHealthyShardsStep both = new WaitHealthyShardsStep();
        both.setSite("stage");
        both.setSiteFile("sites/stage.yaml");
        both.setRelease(3);
        assertTrue(startFailure(both).startsWith("waitHealthyShards: site, siteFile: are given together"), startFailure(both));
        WithEnvironmentLockStep emptySite = new WithEnvironmentLockStep();
        emptySite.setSite("");
        assertTrue(startFailure(emptySite).startsWith("withEnvironmentLock: site, siteFile, siteYaml: none is given"), startFailure(emptySite));
    }

    @Test
    void validateShardNeedsShards() {
        ValidateShardStep step = new ValidateShardStep();
        step.setSite("stage");
        assertTrue(startFailure(step).startsWith("validateShard: shards: is required"));
    }

    @Test
    void waitHealthyShardsNeedsShardsOrAReleaseNotBoth() {
        WaitHealthyShardsStep neither = new WaitHealthyShardsStep();
        neither.setSite("stage");
        assertTrue(startFailure(neither).startsWith("waitHealthyShards: shards: is required; allowed: either shards"));
        WaitHealthyShardsStep both = new WaitHealthyShardsStep();
        both.setSite("stage");
        both.setRelease(4);
        both.setShards(List.of("stage-us-ashburn-1-s1"));
        assertTrue(startFailure(both).startsWith("waitHealthyShards: shards, release: are given together"));
    }

    @Test
    void withEnvironmentLockNeedsABlock() throws Exception {
        WithEnvironmentLockStep step = new WithEnvironmentLockStep();
        step.setSite("stage");
        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class, () -> step.start(context).start());
        assertTrue(e.getMessage().startsWith("withEnvironmentLock: needs a block"), e.getMessage());
        assertEquals("", context.console());
    }

    static SetHaproxyStep set(Consumer<SetHaproxyStep> configure) {
        SetHaproxyStep step = new SetHaproxyStep();
        configure.accept(step);
        return step;
    }

    @Test
    void liveReleaseStandsAloneOnASite() {
        assertTrue(startFailure(set(s -> {
            s.setProxies(List.of("tcp://127.0.0.1:1"));
            s.setLiveRelease(3);
        })).startsWith("setHaproxy: liveRelease: needs a site with Consul, not explicit proxies"));
        for (Consumer<SetHaproxyStep> extra : List.<Consumer<SetHaproxyStep>>of(s -> s.setShard("stage-us-ashburn-1-s1"),
                s -> s.setState("drain"), s -> s.setWeight(3), s -> s.setHealth("down"), s -> {
                    s.setBackend("b");
                    s.setServer("s");
                })) {
            String message = startFailure(set(s -> {
                s.setSite("stage");
                s.setLiveRelease(3);
                extra.accept(s);
            }));
            assertTrue(message.startsWith("setHaproxy: liveRelease: cannot be combined with"), message);
        }
        assertTrue(startFailure(set(s -> {
            s.setSite("stage");
            s.setRegions(List.of("us-ashburn-1"));
            s.setLiveRelease(3);
        })).startsWith("setHaproxy: regions: does not apply to liveRelease"));
        assertTrue(startFailure(set(s -> {
            s.setSite("stage");
            s.setShard("stage-us-ashburn-1-s1");
            s.setState("ready");
            s.setForce(true);
        })).startsWith("setHaproxy: force: applies only when draining or maintaining, or with liveRelease"));
    }
}
