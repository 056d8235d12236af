package io.infrasteps.plugin.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.engine.common.InvalidInputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every argument is checked where it is set, with a message naming it and the allowed form, before any I/O. */
class StepArgumentValidationTest {

    static final String LONG = "a".repeat(10_000);

    /** Values no name-like argument accepts. */
    static List<String> hostile() {
        return List.of(";", "a;b", "a\nb", "a\rb", "../x", "a b", " leading-and-inner space", LONG, "ünïcödé", "stage\u0000",
                "$(id)", "`id`", "a|b", "a&b", "-rf", "\u001b[31mred", "stage\u2028x", "tcp://", "%2e%2e/");
    }

    record Setter(String field, Consumer<String> set) {
    }

    static List<Setter> nameSetters() {
        HaproxyStatusStep status = new HaproxyStatusStep();
        SetHaproxyStep set = new SetHaproxyStep();
        return List.of(
                new Setter("site", status::setSite),
                new Setter("site", set::setSite),
                new Setter("siteFile", status::setSiteFile),
                new Setter("credentialsId", status::setCredentialsId),
                new Setter("shard", set::setShard),
                new Setter("backend", set::setBackend),
                new Setter("server", set::setServer),
                new Setter("state", set::setState),
                new Setter("health", set::setHealth),
                new Setter("upMap", set::setUpMap),
                new Setter("proxies[0]", v -> status.setProxies(List.of(v))),
                new Setter("regions[0]", v -> status.setRegions(List.of(v))));
    }

    static List<Object[]> hostileCases() {
        List<Object[]> cases = new ArrayList<>();
        for (Setter s : nameSetters()) {
            for (String v : hostile()) {
                if (s.field.equals("siteFile") && (v.equals("-rf"))) {
                    continue; // a legal relative file name
                }
                if (s.field.equals("backend") || s.field.equals("server") || s.field.equals("shard")) {
                    if (v.equals("-rf")) {
                        continue; // rejected too, checked separately below for the leading '-'
                    }
                }
                cases.add(new Object[] {s.field, s.set, v});
            }
        }
        return cases;
    }

    @ParameterizedTest(name = "{0} rejects hostile value #{index}")
    @MethodSource("hostileCases")
    void rejectsHostileValuesNamingTheField(String field, Consumer<String> setter, String value) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> setter.accept(value));
        assertTrue(e.getMessage().startsWith(field), "message must name " + field + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("allowed: "), "message must say what is allowed: " + e.getMessage());
        assertSafe(e.getMessage(), value);
    }

    /** The message never echoes a hostile value: no newline or control character, no long value, bounded. */
    static void assertSafe(String message, String value) {
        assertFalse(message.contains("\n") || message.contains("\r") || message.contains("\u0000") || message.contains("\u001b"),
                "control character in message: " + message);
        assertTrue(message.length() < 700, "message too long: " + message.length());
        if (value.length() > 3 && !value.matches("[A-Za-z0-9:/.-]+")) {
            assertFalse(message.contains(value), "message echoes the value: " + message);
        }
    }

    @Test
    void emptyAndBlankMeanNotGiven() {
        HaproxyStatusStep step = new HaproxyStatusStep();
        for (String empty : Arrays.asList(null, "", "   ")) {
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
    void acceptsWellFormedValues() {
        HaproxyStatusStep step = new HaproxyStatusStep();
        step.setSite(" stage ");
        assertEquals("stage", step.getSite());
        step.setSiteFile("sites/stage-1.yaml");
        assertEquals("sites/stage-1.yaml", step.getSiteFile());
        step.setProxies(List.of("tcp://127.0.0.1:9999", "unix:///run/haproxy/admin.sock", "ssh://haproxy@lb-1.example.com:2222/run/haproxy/admin.sock"));
        assertEquals(3, step.getProxies().size());
        step.setRegions(List.of("us-ashburn-1", "eu-frankfurt-1"));
        step.setCredentialsId("haproxy-ssh_key.1");
        step.setKnownHosts("[lb-1.example.com]:2222 ecdsa-sha2-nistp256 AAAAE2Vj\n");
        SetHaproxyStep set = new SetHaproxyStep();
        set.setShard("stage-us-ashburn-1-s2");
        set.setState("drain");
        set.setWeight(0);
        set.setWeight(256);
        set.setHealth("down");
        set.setUpMap("/etc/haproxy/maps/up.map");
        assertEquals("drain", set.getState());
    }

    @Test
    void rejectsOutOfRangeWeights() {
        SetHaproxyStep set = new SetHaproxyStep();
        for (int w : new int[] {-1, 257, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> set.setWeight(w));
            assertEquals("weight", e.field());
            assertTrue(e.getMessage().contains("0 to 256"), e.getMessage());
        }
    }

    @Test
    void rejectsUnknownStatesAndHealth() {
        SetHaproxyStep set = new SetHaproxyStep();
        for (String s : List.of("READY", "up", "disabled", "drain ", "maint;")) {
            if (s.equals("drain ")) {
                set.setState(s); // trimmed, as a form field would be
                assertEquals("drain", set.getState());
                continue;
            }
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> set.setState(s));
            assertTrue(e.getMessage().contains("ready, drain or maint"), e.getMessage());
        }
        for (String h : List.of("UP", "ready", "true", "1")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> set.setHealth(h));
            assertTrue(e.getMessage().startsWith("health") && e.getMessage().contains("up or down"), e.getMessage());
        }
    }

    @Test
    void namesMayNotStartWithADash() {
        SetHaproxyStep set = new SetHaproxyStep();
        assertThrows(InvalidInputException.class, () -> set.setShard("-rf"));
        assertThrows(InvalidInputException.class, () -> set.setServer("--help"));
    }

    @Test
    void siteFileMustStayInsideTheWorkspaceByItsText() {
        HaproxyStatusStep step = new HaproxyStatusStep();
        for (String path : List.of("/etc/passwd", "../site.yaml", "sites/../../x", "sites//x", "./x", "sites/.", "C:\\x",
                "sites\\x", "~/x", "x".repeat(1025))) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> step.setSiteFile(path), path);
            assertEquals("siteFile", e.field());
            assertTrue(e.getMessage().contains("workspace-relative path"), e.getMessage());
        }
    }

    @Test
    void knownHostsIsBoundedPrintableText() {
        HaproxyStatusStep step = new HaproxyStatusStep();
        for (String text : List.of("x".repeat(70_000), "[h]:22 ssh-ed25519 AAAA\u0000", "[h]:22 ssh-ed25519 AAAÄ", "\u001b[2J")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> step.setKnownHosts(text));
            assertEquals("knownHosts", e.field());
            assertSafe(e.getMessage(), text);
        }
    }

    @Test
    void listsAreBoundedDistinctAndNonEmpty() {
        HaproxyStatusStep step = new HaproxyStatusStep();
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            many.add("tcp://127.0.0.1:" + (1000 + i));
        }
        assertTrue(assertThrows(InvalidInputException.class, () -> step.setProxies(many)).getMessage().startsWith("proxies: has 300 entries"));
        assertEquals("proxies[1]", assertThrows(InvalidInputException.class,
                () -> step.setProxies(List.of("tcp://127.0.0.1:1", "tcp://127.0.0.1:1"))).field());
        assertEquals("regions[1]", assertThrows(InvalidInputException.class,
                () -> step.setRegions(Arrays.asList("us-ashburn-1", ""))).field());
        assertEquals("regions[0]", assertThrows(InvalidInputException.class,
                () -> step.setRegions(Arrays.asList((String) null))).field());
    }

    // ---- how arguments combine: checked by start(), before any execution exists ----

    static String startFailure(org.jenkinsci.plugins.workflow.steps.Step step) {
        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class, () -> step.start(context));
        assertEquals("", context.console(), "nothing may run before the arguments are valid");
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
