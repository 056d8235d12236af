package io.infrasteps.plugin.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.plugin.consul.WithEnvironmentLockStep;
import io.infrasteps.plugin.haproxy.FakeStepContext;
import io.infrasteps.plugin.haproxy.SetHaproxyStep;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every argument of validateShard, waitHealthyShards, withEnvironmentLock and setHaproxy's liveRelease is checked
 * where it is set (or by start(), for how they combine), before any file, credential or network access, with a
 * message naming it and the allowed form and never echoing the hostile value.
 */
class ConsulStepArgumentsTest {

    static final String LONG = "a".repeat(10_000);

    /** Values no name-like argument accepts. */
    static List<String> hostile() {
        return List.of(";", "a;b", "a\nb", "a\r\nb", "../x", "../../etc/passwd", "a b", " inner space x", LONG, "ünïcödé", "站点",
                "stage\u0000", "$(id)", "`id`", "a|b", "\u001b[31mred", "stage\u2028x", "%2e%2e/", "x/../y");
    }

    record Setter(String field, Consumer<String> set) {
    }

    static List<Setter> stringSetters() {
        ValidateShardStep validate = new ValidateShardStep();
        WaitHealthyShardsStep wait = new WaitHealthyShardsStep();
        WithEnvironmentLockStep lock = new WithEnvironmentLockStep();
        return List.of(
                new Setter("site", validate::setSite),
                new Setter("site", wait::setSite),
                new Setter("site", lock::setSite),
                new Setter("siteFile", validate::setSiteFile),
                new Setter("siteFile", wait::setSiteFile),
                new Setter("siteFile", lock::setSiteFile),
                new Setter("credentialsId", validate::setCredentialsId),
                new Setter("lock", lock::setLock),
                new Setter("shards[0]", v -> validate.setShards(List.of(v))),
                new Setter("shards[1]", v -> wait.setShards(List.of("stage-us-ashburn-1-s1", v))));
    }

    static List<Object[]> hostileCases() {
        List<Object[]> cases = new ArrayList<>();
        for (Setter s : stringSetters()) {
            for (String v : hostile()) {
                cases.add(new Object[] {s.field, s.set, v});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} rejects hostile value #{index}")
    @MethodSource("hostileCases")
    void rejectsHostileValuesNamingTheParameter(String field, Consumer<String> setter, String value) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> setter.accept(value));
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("allowed: "), "message must say what is allowed: " + e.getMessage());
        assertSafe(e.getMessage(), value);
    }

    /** The message never echoes a hostile value: no control character, no long value, bounded. */
    static void assertSafe(String message, String value) {
        assertFalse(message.contains("\n") || message.contains("\r") || message.contains("\u0000") || message.contains("\u001b")
                || message.contains("\u2028"), "control character in message: " + message);
        assertTrue(message.length() < 700, "message too long: " + message.length());
        if (value.length() > 3 && !value.matches("[A-Za-z0-9:/.-]+")) {
            assertFalse(message.contains(value), "message echoes the value: " + message);
        }
    }

    record NumberSetter(String field, IntConsumer set, int[] rejected, int[] accepted, String allowed) {
    }

    static List<NumberSetter> numberSetters() {
        WaitHealthyShardsStep wait = new WaitHealthyShardsStep();
        WithEnvironmentLockStep lock = new WithEnvironmentLockStep();
        SetHaproxyStep set = new SetHaproxyStep();
        return List.of(
                new NumberSetter("release", wait::setRelease, new int[] {0, -1, -42, Integer.MIN_VALUE, 1_000_000_000, Integer.MAX_VALUE},
                        new int[] {1, 42, 999_999_999}, "an integer from 1 to 999999999"),
                new NumberSetter("timeoutMinutes", wait::setTimeoutMinutes, new int[] {0, -1, -20, Integer.MIN_VALUE, 1441, Integer.MAX_VALUE},
                        new int[] {1, 20, 1440}, "an integer from 1 to 1440"),
                new NumberSetter("waitSeconds", lock::setWaitSeconds, new int[] {-1, -3600, Integer.MIN_VALUE, 3601, Integer.MAX_VALUE},
                        new int[] {0, 1, 3600}, "an integer from 0 to 3600"),
                new NumberSetter("ttlSeconds", lock::setTtlSeconds, new int[] {0, -1, 9, Integer.MIN_VALUE, 86_401, Integer.MAX_VALUE},
                        new int[] {10, 120, 86_400}, "an integer from 10 to 86400"),
                new NumberSetter("liveRelease", set::setLiveRelease, new int[] {0, -1, -7, Integer.MIN_VALUE, 1_000_000_000},
                        new int[] {1, 43, 999_999_999}, "an integer from 1 to 999999999"));
    }

    @Test
    void numbersOutOfRangeAreRejectedNamingTheParameter() {
        for (NumberSetter n : numberSetters()) {
            for (int bad : n.rejected) {
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> n.set.accept(bad), n.field + " " + bad);
                assertEquals(n.field, e.field());
                assertTrue(e.getMessage().startsWith(n.field + ": is " + bad + "; allowed: " + n.allowed), e.getMessage());
            }
            for (int good : n.accepted) {
                n.set.accept(good);
            }
        }
    }

    @Test
    void knownHostsIsBoundedPrintableText() {
        ValidateShardStep step = new ValidateShardStep();
        for (String text : List.of("x".repeat(70_000), "[h]:22 ssh-ed25519 AAAA\u0000", "[h]:22 ssh-ed25519 AAAÄ", "\u001b[2J", "站点")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> step.setKnownHosts(text));
            assertEquals("knownHosts", e.field());
            assertSafe(e.getMessage(), text);
        }
    }

    @Test
    void emptyMeansNotGiven() {
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
    }

    @Test
    void shardListsAreBoundedDistinctAndOfStrings() {
        ValidateShardStep step = new ValidateShardStep();
        List<String> many = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            many.add("stage-us-ashburn-1-s" + i);
        }
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> step.setShards(many));
        assertTrue(e.getMessage().startsWith("shards: has 300 entries; allowed: at most 256"), e.getMessage());
        assertEquals("shards[1]", assertThrows(InvalidInputException.class,
                () -> step.setShards(List.of("stage-us-ashburn-1-s1", "stage-us-ashburn-1-s1"))).field());
        assertEquals("shards[1]", assertThrows(InvalidInputException.class,
                () -> step.setShards(Arrays.asList("stage-us-ashburn-1-s1", ""))).field());
        assertEquals("shards[0]", assertThrows(InvalidInputException.class, () -> step.setShards(Arrays.asList((String) null))).field());
        @SuppressWarnings({"unchecked", "rawtypes"})
        List<String> numbers = (List) List.of(42);
        assertTrue(assertThrows(InvalidInputException.class, () -> step.setShards(numbers)).getMessage()
                .startsWith("shards[0]: is not a string"));
        assertEquals("shards[0]", assertThrows(InvalidInputException.class, () -> step.setShards(List.of("-rf"))).field());
    }

    @Test
    void acceptsWellFormedValues() {
        ValidateShardStep validate = new ValidateShardStep();
        validate.setSite(" stage ");
        assertEquals("stage", validate.getSite());
        validate.setShards(List.of("stage-us-ashburn-1-s2", "stage-eu-frankfurt-1-s3"));
        validate.setCredentialsId("haproxy-ssh_key.1");
        WithEnvironmentLockStep lock = new WithEnvironmentLockStep();
        lock.setLock("haproxy-state");
        lock.setSiteFile("sites/stage.yaml");
        assertEquals("sites/stage.yaml", lock.getSiteFile());
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
