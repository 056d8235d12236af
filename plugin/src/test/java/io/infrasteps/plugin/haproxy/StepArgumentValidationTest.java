package io.infrasteps.plugin.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every argument is checked when the step starts (its setter only records it: an exception from a setter would reach
 * the build log through Pipeline's argument binding, which prints every argument's value), with a message naming it and
 * the allowed form, before any I/O. {@link io.infrasteps.plugin.StepArgumentsContractTest} checks the same for every
 * argument of every step by reflection; these are the HAProxy steps' own cases and exact messages.
 */
class StepArgumentValidationTest {

    static final String LONG = "a".repeat(10_000);

    /** Values no name-like argument accepts. */
    static List<String> hostile() {
        return List.of(";", "a;b", "a\nb", "a\rb", "../x", "a b", " leading-and-inner space", LONG, "ünïcödé", "stage\u0000",
                "$(id)", "`id`", "a|b", "a&b", "\u001b[31mred", "stage\u2028x", "tcp://", "%2e%2e/");
    }

    /** An argument, and how it is given to an otherwise valid step of its kind. */
    record Setter(String field, BiFunction<String, String, Step> make) {
    }

    static HaproxyStatusStep status() {
        HaproxyStatusStep step = new HaproxyStatusStep();
        step.setSite("stage");
        return step;
    }

    static SetHaproxyStep change() {
        SetHaproxyStep step = new SetHaproxyStep();
        step.setSite("stage");
        step.setShard("stage-us-ashburn-1-s1");
        step.setState("drain");
        return step;
    }

    static Setter status(String field, BiConsumer<HaproxyStatusStep, String> set) {
        return new Setter(field, (f, v) -> {
            HaproxyStatusStep step = status();
            set.accept(step, v);
            return step;
        });
    }

    static Setter change(String field, BiConsumer<SetHaproxyStep, String> set) {
        return new Setter(field, (f, v) -> {
            SetHaproxyStep step = change();
            set.accept(step, v);
            return step;
        });
    }

    static List<Setter> nameSetters() {
        return List.of(
                status("site", HaproxyStatusStep::setSite),
                change("site", SetHaproxyStep::setSite),
                status("siteFile", HaproxyStatusStep::setSiteFile),
                status("credentialsId", HaproxyStatusStep::setCredentialsId),
                change("shard", SetHaproxyStep::setShard),
                change("backend", SetHaproxyStep::setBackend),
                change("server", SetHaproxyStep::setServer),
                change("state", SetHaproxyStep::setState),
                change("health", SetHaproxyStep::setHealth),
                change("upMap", SetHaproxyStep::setUpMap),
                status("proxies[0]", (s, v) -> s.setProxies(List.of(v))),
                status("regions[0]", (s, v) -> s.setRegions(List.of(v))));
    }

    static List<Object[]> hostileCases() {
        List<Object[]> cases = new ArrayList<>();
        for (Setter s : nameSetters()) {
            for (String v : hostile()) {
                cases.add(new Object[] {s.field, s, v});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} rejects hostile value #{index}")
    @MethodSource("hostileCases")
    void rejectsHostileValuesWhenTheStepStartsNamingTheField(String field, Setter setter, String value) {
        Step step = setter.make.apply(field, value); // the setter records the value and never throws
        String message = startFailure(step);
        String fn = step instanceof SetHaproxyStep ? "setHaproxy" : "haproxyStatus";
        assertTrue(message.startsWith(fn + ": " + field + ": "), "message must name " + field + ": " + message);
        assertTrue(message.contains("; allowed: "), "message must say what is allowed: " + message);
        assertSafe(message, value);
    }

    /** The message never echoes a hostile value: no newline or control character, no long value, bounded. */
    static void assertSafe(String message, String value) {
        assertFalse(message.contains("\n") || message.contains("\r") || message.contains("\u0000") || message.contains("\u001b")
                || message.contains("\u2028"), "control character in message: " + message);
        assertTrue(message.length() < 700, "message too long: " + message.length());
        String v = value.strip();
        if (v.length() > 1 && !v.matches("[A-Za-z0-9:/.-]+")) { // a plain value may coincide with the allowed form ("tcp://")
            assertFalse(message.contains(v), "message echoes the value: " + message);
        }
    }

    @Test
    void emptyAndBlankMeanNotGiven() throws Exception {
        HaproxyStatusStep step = new HaproxyStatusStep();
        for (String empty : Arrays.asList(null, "", "   ", "\t")) {
            step.setSite(empty);
            step.setSiteFile(empty);
            step.setCredentialsId(empty);
            step.setKnownHosts(empty);
            assertNull(step.getSite());
            assertNull(step.getSiteFile());
            assertNull(step.getCredentialsId());
            assertNull(step.getKnownHosts());
        }
        step.setProxies(List.of());
        assertNull(step.getProxies());
        step.setProxies(List.of("tcp://127.0.0.1:1"));
        assertNotNull(step.start(new FakeStepContext()), "empty fields are not given: the proxies alone are the target");
        SetHaproxyStep set = new SetHaproxyStep();
        set.setState("");
        set.setHealth(" ");
        set.setUpMap("");
        set.setWeight(null);
        assertNull(set.getState());
        assertNull(set.getHealth());
        assertNull(set.getUpMap());
        assertNull(set.getWeight());
    }

    @Test
    void acceptsWellFormedValuesAndReturnsThemAsGiven() throws Exception {
        HaproxyStatusStep step = new HaproxyStatusStep();
        step.setSite(" stage ");
        assertEquals(" stage ", step.getSite(), "the getter returns what was set (the Snippet Generator round-trips)");
        step.setRegions(List.of("us-ashburn-1", "eu-frankfurt-1"));
        step.setCredentialsId("haproxy-ssh_key.1");
        step.setKnownHosts("[lb-1.example.com]:2222 ecdsa-sha2-nistp256 AAAAE2Vj\n");
        assertNotNull(step.start(new FakeStepContext()));
        assertEquals(List.of("us-ashburn-1", "eu-frankfurt-1"), step.regions());
        assertEquals("haproxy-ssh_key.1", step.credentialsId());
        HaproxyStatusStep files = new HaproxyStatusStep();
        files.setSiteFile("sites/stage-1.yaml");
        assertEquals("sites/stage-1.yaml", files.getSiteFile());
        assertNotNull(files.start(new FakeStepContext()));
        HaproxyStatusStep proxies = new HaproxyStatusStep();
        proxies.setProxies(List.of("tcp://127.0.0.1:9999", "unix:///run/haproxy/admin.sock", "ssh://haproxy@lb-1.example.com:2222/run/haproxy/admin.sock"));
        assertEquals(3, proxies.getProxies().size());
        assertNotNull(proxies.start(new FakeStepContext()));
        SetHaproxyStep set = change();
        set.setWeight(0);
        set.setWeight(256);
        set.setState("maint ");
        assertEquals("maint ", set.getState());
        assertNotNull(set.start(new FakeStepContext()));
        assertEquals("maint", set.state(), "the execution uses the checked keyword");
        SetHaproxyStep health = new SetHaproxyStep();
        health.setSite("stage");
        health.setHealth("down");
        health.setUpMap("/etc/haproxy/maps/up.map");
        assertNotNull(health.start(new FakeStepContext()));
    }

    @Test
    void rejectsOutOfRangeWeightsWithoutEchoingThem() {
        for (int w : new int[] {-1, 257, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            SetHaproxyStep set = change();
            set.setWeight(w);
            assertEquals(w, set.getWeight());
            String message = startFailure(set);
            assertEquals("setHaproxy: weight: is too " + (w < 0 ? "small" : "large") + "; allowed: an integer from 0 to 256", message);
        }
    }

    @Test
    void rejectsUnknownStatesAndHealth() {
        for (String s : List.of("READY", "up", "disabled", "maint;")) {
            SetHaproxyStep set = change();
            set.setState(s);
            assertEquals("setHaproxy: state: is not a server state; allowed: ready, drain or maint", startFailure(set));
        }
        for (String h : List.of("UP", "ready", "true", "1")) {
            SetHaproxyStep set = new SetHaproxyStep();
            set.setSite("stage");
            set.setHealth(h);
            String message = startFailure(set);
            assertTrue(message.startsWith("setHaproxy: health: is not valid") && message.endsWith("; allowed: up or down"), message);
        }
    }

    @Test
    void namesMayNotStartWithADash() {
        SetHaproxyStep shard = change();
        shard.setShard("-rf");
        assertTrue(startFailure(shard).startsWith("setHaproxy: shard: is not valid"));
        SetHaproxyStep server = new SetHaproxyStep();
        server.setSite("stage");
        server.setState("drain");
        server.setBackend("b");
        server.setServer("--help");
        assertTrue(startFailure(server).startsWith("setHaproxy: server: is not valid"));
    }

    @Test
    void siteFileMustStayInsideTheWorkspaceByItsText() {
        for (String path : List.of("/etc/passwd", "../site.yaml", "sites/../../x", "sites//x", "./x", "sites/.", "C:\\x",
                "sites\\x", "~/x", "x".repeat(1025))) {
            HaproxyStatusStep step = new HaproxyStatusStep();
            step.setSiteFile(path);
            assertEquals(path, step.getSiteFile());
            String message = startFailure(step);
            assertTrue(message.startsWith("haproxyStatus: siteFile: "), message);
            assertTrue(message.contains("allowed: a workspace-relative path"), message);
        }
    }

    @Test
    void knownHostsIsBoundedPrintableText() {
        for (String text : List.of("x".repeat(70_000), "[h]:22 ssh-ed25519 AAAA\u0000", "[h]:22 ssh-ed25519 AAAÄ", "\u001b[2J")) {
            HaproxyStatusStep step = status();
            step.setKnownHosts(text);
            String message = startFailure(step);
            assertTrue(message.startsWith("haproxyStatus: knownHosts: "), message);
            assertTrue(message.contains("; allowed: known_hosts lines"), message);
            assertSafe(message, text);
        }
    }

    @Test
    void listsAreBoundedDistinctAndNonEmpty() {
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add("tcp://127.0.0.1:" + (1000 + i));
        }
        HaproxyStatusStep tooMany = new HaproxyStatusStep();
        tooMany.setProxies(many);
        assertEquals("haproxyStatus: proxies: has 300 entries; allowed: at most 256", startFailure(tooMany));
        HaproxyStatusStep twice = new HaproxyStatusStep();
        twice.setProxies(List.of("tcp://127.0.0.1:1", "tcp://127.0.0.1:1"));
        assertTrue(startFailure(twice).startsWith("haproxyStatus: proxies[1]: repeats an earlier entry"));
        HaproxyStatusStep empty = status();
        empty.setRegions(Arrays.asList("us-ashburn-1", ""));
        assertTrue(startFailure(empty).startsWith("haproxyStatus: regions[1]: is empty"));
        HaproxyStatusStep nulls = status();
        nulls.setRegions(Arrays.asList((String) null));
        assertTrue(startFailure(nulls).startsWith("haproxyStatus: regions[0]: is null"));
    }

    @Test
    void theFirstBadArgumentInTheTablesOrderIsReported() {
        SetHaproxyStep step = new SetHaproxyStep();
        step.setState("nope");
        step.setShard("a;b");
        step.setRegions(List.of("A B"));
        assertTrue(startFailure(step).startsWith("setHaproxy: regions[0]: is not valid"), startFailure(step));
        assertEquals(List.of("site", "siteFile", "siteYaml", "proxies", "regions", "credentialsId", "knownHosts", "tolerateFailures",
                "shard", "backend", "server", "state", "weight", "health", "force", "upMap", "liveRelease"), step.arguments().names());
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
    void targetIsExactlyOneOfSiteSiteFileAndProxies() {
        assertEquals("haproxyStatus: site, siteFile, siteYaml, proxies: none is given; allowed: exactly one of site (a configured site), "
                + "siteFile (site YAML in the workspace), siteYaml (the site YAML text) or proxies (runtime API addresses)",
                startFailure(new HaproxyStatusStep()));
        HaproxyStatusStep both = new HaproxyStatusStep();
        both.setSite("stage");
        both.setProxies(List.of("tcp://127.0.0.1:1"));
        assertTrue(startFailure(both).startsWith("haproxyStatus: site, proxies: are given together; allowed: exactly one of site"),
                startFailure(both));
        HaproxyStatusStep files = new HaproxyStatusStep();
        files.setSite("stage");
        files.setSiteFile("sites/stage.yaml");
        assertTrue(startFailure(files).startsWith("haproxyStatus: site, siteFile: are given together"), startFailure(files));
        HaproxyStatusStep regionsWithProxies = new HaproxyStatusStep();
        regionsWithProxies.setProxies(List.of("tcp://127.0.0.1:1"));
        regionsWithProxies.setRegions(List.of("us-ashburn-1"));
        assertTrue(startFailure(regionsWithProxies).startsWith("haproxyStatus: regions: applies only to a site"));
    }

    static SetHaproxyStep set(Consumer<SetHaproxyStep> configure) {
        SetHaproxyStep step = new SetHaproxyStep();
        step.setSite("stage");
        configure.accept(step);
        return step;
    }

    @Test
    void aChangeNamesWhatAndWhich() {
        assertTrue(startFailure(set(s -> { })).startsWith("setHaproxy: state, weight, health: none is given"));
        assertTrue(startFailure(set(s -> s.setState("drain"))).startsWith("setHaproxy: shard: is required"));
        assertTrue(startFailure(set(s -> {
            s.setState("drain");
            s.setBackend("release-1");
        })).startsWith("setHaproxy: server: is required"));
        assertTrue(startFailure(set(s -> {
            s.setWeight(10);
            s.setServer("x");
        })).startsWith("setHaproxy: backend: is required"));
        assertTrue(startFailure(set(s -> {
            s.setState("drain");
            s.setShard("a");
            s.setBackend("b");
        })).startsWith("setHaproxy: shard: cannot be combined with backend or server"));
        assertTrue(startFailure(set(s -> {
            s.setHealth("down");
            s.setShard("a");
        })).startsWith("setHaproxy: health: applies to whole proxies"));
        assertTrue(startFailure(set(s -> {
            s.setHealth("down");
            s.setState("drain");
        })).startsWith("setHaproxy: health: cannot be combined with state or weight"));
        assertTrue(startFailure(set(s -> {
            s.setShard("a");
            s.setState("ready");
            s.setForce(true);
        })).startsWith("setHaproxy: force: applies only when draining or maintaining"));
        assertTrue(startFailure(set(s -> {
            s.setShard("a");
            s.setState("drain");
            s.setUpMap("/etc/haproxy/up.map");
        })).startsWith("setHaproxy: upMap: applies only with health"));
    }
}
