package io.infrasteps.plugin.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.consul.WithEnvironmentLockStep;
import io.infrasteps.plugin.haproxy.FakeStepContext;
import io.infrasteps.plugin.haproxy.HaproxyStatusStep;
import io.infrasteps.plugin.haproxy.Seams;
import io.infrasteps.plugin.haproxy.SerializationCheck;
import io.infrasteps.plugin.haproxy.SetHaproxyStep;
import io.infrasteps.plugin.shard.ValidateShardStep;
import io.infrasteps.plugin.shard.WaitHealthyShardsStep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code siteYaml}, the site given as its YAML text, on every step that takes a site: hostile texts are refused when
 * the step starts (before any file, credential or network access) with a message naming {@code siteYaml} and the
 * path of the bad value, never repeating the text; how it combines with site, siteFile and proxies; its size bound;
 * how the step's arguments are displayed; and the reference an execution saves.
 */
class SiteYamlArgumentTest {

    /** A valid site: two regions, Consul in the first, one proxy. */
    static final String VALID = """
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

    /** A secret someone pasted where it does not belong: must never reach a message. */
    static final String SECRET = "s3cr3t-Tok3n-0f-Cons4l";

    record Hostile(String label, String text, String expected) {
        @Override
        public String toString() {
            return label;
        }
    }

    static String padTo(String yaml, int bytes) {
        StringBuilder out = new StringBuilder(yaml).append("# ");
        while (out.length() < bytes - 1) {
            out.append('x');
        }
        return out.append('\n').toString();
    }

    static List<Hostile> hostile() {
        String deep = "[".repeat(10_000);
        StringBuilder laughs = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char p = (char) (c - 1);
            laughs.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p).append(",*")
                    .append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p).append("]\n");
        }
        return List.of(
                new Hostile("empty", "", "siteYaml: is empty; allowed: the text of a site YAML"),
                new Hostile("blank", " \n\t\n  ", "siteYaml: is empty; allowed: the text of a site YAML"),
                new Hostile("huge", padTo(VALID, SiteRef.MAX_YAML_BYTES + 1), "siteYaml: is larger than 1000000 bytes of UTF-8"),
                new Hostile("huge in UTF-8 only", VALID + "# " + "é".repeat(500_000) + "\n",
                        "siteYaml: is larger than 1000000 bytes of UTF-8"),
                new Hostile("not YAML", "name: [stage\nregions: {: :\n  - ]]", "siteYaml: is not valid YAML at line "),
                new Hostile("tab indentation", "name: stage\nregions:\n\t- name: x\n", "siteYaml: is not valid YAML at line "),
                new Hostile("unknown top-level key", VALID + "token: " + SECRET + "\n",
                        "siteYaml: token: is not a known key; allowed: name, domain,"),
                new Hostile("unknown nested key", VALID.replace("address: tcp://127.0.0.1:9999", "adress: tcp://127.0.0.1:9999"),
                        "siteYaml: regions[0].haproxy[0].address: is required"),
                new Hostile("misspelt nested key", VALID.replace("    consul: http", "    consull: http"),
                        "siteYaml: regions[0].consull: is not a known key"),
                new Hostile("hostile key", VALID + "\"evil\\nkey\\u001b[2J\": 1\n", "siteYaml: <invalid key>: is not a known key"),
                new Hostile("secret in the wrong field", VALID.replace("consulToken: consul-acl-token", "consulToken: \"" + SECRET + " x\""),
                        "siteYaml: credentials.consulToken: is not valid (contains a space at position 22)"),
                new Hostile("non-ASCII name", VALID.replace("name: stage", "name: 站点"),
                        "siteYaml: name: is not valid (contains U+7AD9 at position 0)"),
                new Hostile("non-ASCII region", VALID.replace("name: eu-frankfurt-1", "name: eu-zürich-1"),
                        "siteYaml: regions[1].name: is not valid (contains U+00FC at position 4)"),
                new Hostile("a list", "- name: stage\n  domain: stage.example.com\n- name: prod\n",
                        "siteYaml: must be a mapping of keys to values; allowed: a YAML mapping"),
                new Hostile("a scalar", "just some words " + SECRET, "siteYaml: must be a mapping of keys to values"),
                new Hostile("10 000 characters of text", "x".repeat(10_000), "siteYaml: must be a mapping of keys to values"),
                new Hostile("a 10 000 character name", VALID.replace("name: stage", "name: " + "a".repeat(10_000)),
                        "siteYaml: name: is not valid (10000 characters)"),
                new Hostile("10 000 nested brackets", deep, "siteYaml: is not valid YAML; allowed: site YAML"),
                new Hostile("billion laughs", laughs + VALID, "siteYaml: a: is not a known key"),
                new Hostile("NUL character", VALID.replace("name: stage", "name: st\u0000age"), "siteYaml: is not valid YAML at line "),
                new Hostile("terminal escape", VALID.replace("name: stage", "name: \u001b[2Jstage"), "siteYaml: is not valid YAML at line 1"),
                new Hostile("line separator", VALID.replace("domain: stage.example.com", "domain: stage.example.com\u2028forged"),
                        "siteYaml: is not valid YAML at line 2"),
                new Hostile("lone surrogate", VALID.replace("name: stage", "name: st\uD800age"), "siteYaml: is not valid YAML at line 1"),
                new Hostile("JSON array", "[{\"name\": \"stage\"}]", "siteYaml: must be a mapping of keys to values"),
                new Hostile("no regions", "name: stage\ndomain: stage.example.com\n", "siteYaml: regions: is required"),
                new Hostile("bad port", VALID.replace("127.0.0.1:9999", "127.0.0.1:99999"), "siteYaml: regions[0].haproxy[0].address"),
                new Hostile("remote command in an address", VALID.replace("tcp://127.0.0.1:9999", "\"ssh://u@h/run/x.sock; rm -rf /\""),
                        "siteYaml: regions[0].haproxy[0].address"));
    }

    static final List<Supplier<Step>> STEPS = List.of(
            () -> {
                HaproxyStatusStep s = new HaproxyStatusStep();
                return s;
            },
            () -> {
                SetHaproxyStep s = new SetHaproxyStep();
                s.setShard("stage-us-ashburn-1-s1");
                s.setState("drain");
                return s;
            },
            () -> {
                ValidateShardStep s = new ValidateShardStep();
                s.setShards(List.of("stage-us-ashburn-1-s1"));
                return s;
            },
            () -> {
                WaitHealthyShardsStep s = new WaitHealthyShardsStep();
                s.setRelease(42);
                return s;
            },
            WithEnvironmentLockStep::new);

    static String functionName(Step step) {
        return descriptor(step).getFunctionName();
    }

    static StepDescriptor descriptor(Step step) {
        for (Class<?> c : step.getClass().getDeclaredClasses()) {
            if (c.getSimpleName().equals("DescriptorImpl")) {
                try {
                    return (StepDescriptor) c.getConstructor().newInstance();
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
            }
        }
        throw new AssertionError("no descriptor for " + step);
    }

    static void setSiteYaml(Step step, String text) {
        ((AbstractSiteStep) step).setSiteYaml(text);
    }

    static List<Object[]> hostileCases() {
        List<Object[]> cases = new ArrayList<>();
        for (Supplier<Step> step : STEPS) {
            for (Hostile h : hostile()) {
                cases.add(new Object[] {functionName(step.get()), h, step});
            }
        }
        return cases;
    }

    /** What start() fails with; nothing may have run: no console line, no completion. */
    static String startFailure(Step step) {
        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class, () -> step.start(context));
        assertEquals("", context.console(), "nothing may run before the arguments are valid");
        assertFalse(context.isDone());
        return e.getMessage();
    }

    /** The message never repeats the text: no control character, bounded, no line of the text, no secret. */
    static void assertSafe(String message, String text) {
        assertFalse(message.contains("\n") || message.contains("\r") || message.contains("\u0000") || message.contains("\u001b")
                || message.contains("\u2028") || message.contains("\uD800"), "control character in message: " + message);
        assertTrue(message.length() < 700, "message too long: " + message.length());
        assertFalse(message.contains(SECRET), "message repeats a secret: " + message);
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.length() >= 16) {
                assertFalse(message.contains(l), "message repeats a line of the text: " + message);
            }
        }
    }

    @ParameterizedTest(name = "{0} refuses siteYaml: {1}")
    @MethodSource("hostileCases")
    void hostileTextsAreRefusedWhenTheStepStartsNamingSiteYaml(String function, Hostile hostile, Supplier<Step> make) {
        Step step = make.get();
        setSiteYaml(step, hostile.text); // a setter never throws for siteYaml: Pipeline would print every argument
        String message = startFailure(step);
        assertTrue(message.startsWith(function + ": " + hostile.expected), hostile.label + ": " + message);
        assertSafe(message, hostile.text);
    }

    @Test
    void theParserNamesSiteYamlAndThePathAndNeverTheText() {
        for (Hostile h : hostile()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> SiteRef.parseYaml(h.text), h.label);
            assertTrue(e.field().startsWith("siteYaml"), h.label + ": " + e.field());
            assertTrue(e.getMessage().startsWith(h.expected), h.label + ": " + e.getMessage());
            assertSafe(e.getMessage(), h.text);
            if (!h.text.isBlank()) {
                assertEquals(e.getMessage(), SiteYamlCheck.problem(h.text), "the form check agrees with the step: " + h.label);
            }
        }
    }

    @Test
    void theSizeBoundIsThatOfASiteFile() {
        assertEquals(WorkspaceSiteFile.MAX_BYTES, SiteRef.MAX_YAML_BYTES);
        String atTheBound = padTo(VALID, SiteRef.MAX_YAML_BYTES);
        assertEquals(SiteRef.MAX_YAML_BYTES, atTheBound.getBytes(StandardCharsets.UTF_8).length);
        assertEquals("stage", SiteRef.parseYaml(atTheBound).name());
        String oneMore = padTo(VALID, SiteRef.MAX_YAML_BYTES + 1);
        assertThrows(InvalidInputException.class, () -> SiteRef.parseYaml(oneMore));
        String multibyte = VALID + "# " + "€".repeat(300_000) + "\n"; // 300 000 characters, 900 000 bytes
        assertTrue(multibyte.getBytes(StandardCharsets.UTF_8).length < SiteRef.MAX_YAML_BYTES);
        assertEquals("stage", SiteRef.parseYaml(multibyte).name());
        assertEquals(4, SiteRef.utf8Length("\uD83D\uDE00", 100), "a surrogate pair is one 4-byte character");
        assertEquals(3, SiteRef.utf8Length("\uD800", 100));
        assertEquals(10, SiteRef.utf8Length("x".repeat(1_000), 10), "counting stops at the limit");
    }

    @Test
    void nonAsciiTextIsFineWhereYamlAllowsIt() {
        String commented = "# Zürich, 東京, Ωmega: comments may hold any text\n" + VALID.replace("domain: stage.example.com",
                "domain: stage.example.com   # prod's twin ✓");
        Site site = SiteRef.parseYaml(commented);
        assertEquals("stage", site.name());
        assertEquals(2, site.regions().size());
        assertEquals("stage", SiteRef.parseYaml(VALID.replace("\n", "\r\n")).name(), "Windows line ends");
    }

    // ---- how siteYaml combines with the other ways to give the site ----

    @Test
    void exactlyOneOfSiteSiteFileAndSiteYaml() {
        for (Supplier<Step> make : STEPS) {
            String fn = functionName(make.get());
            boolean haproxy = make.get() instanceof HaproxyStatusStep || make.get() instanceof SetHaproxyStep;
            String oneOf = haproxy
                    ? "exactly one of site (a configured site), siteFile (site YAML in the workspace), siteYaml (the site YAML text) or proxies"
                    : "exactly one of site (a configured site), siteFile (site YAML in the workspace) or siteYaml (the site YAML text)";

            Step withSite = make.get();
            ((AbstractSiteStep) withSite).setSite("stage");
            setSiteYaml(withSite, VALID);
            String together = startFailure(withSite);
            assertTrue(together.startsWith(fn + ": site, siteYaml: are given together; allowed: " + oneOf), together);

            Step withFile = make.get();
            ((AbstractSiteStep) withFile).setSiteFile("sites/stage.yaml");
            setSiteYaml(withFile, VALID);
            assertTrue(startFailure(withFile).startsWith(fn + ": siteFile, siteYaml: are given together; allowed: exactly one of"), fn);

            Step all = make.get();
            ((AbstractSiteStep) all).setSite("stage");
            ((AbstractSiteStep) all).setSiteFile("sites/stage.yaml");
            setSiteYaml(all, "not even checked");
            assertTrue(startFailure(all).startsWith(fn + ": site, siteFile, siteYaml: are given together"), fn);

            Step none = make.get();
            String noneMessage = startFailure(none);
            assertTrue(noneMessage.startsWith(fn + ": site, siteFile, siteYaml" + (haproxy ? ", proxies" : "") + ": none is given; allowed: "
                    + oneOf), noneMessage);
        }
        HaproxyStatusStep proxies = new HaproxyStatusStep();
        proxies.setProxies(List.of("tcp://127.0.0.1:1"));
        proxies.setSiteYaml(VALID);
        assertTrue(startFailure(proxies).startsWith("haproxyStatus: siteYaml, proxies: are given together; allowed: exactly one of"));
    }

    @Test
    void aBlankSiteYamlNextToAnotherSiteArgumentIsAnEmptyFormField() throws Exception {
        for (Supplier<Step> make : STEPS) {
            Step step = make.get();
            ((AbstractSiteStep) step).setSite("stage");
            for (String blank : Arrays.asList(null, "", "  ", "\n")) {
                setSiteYaml(step, blank);
                assertNull(((AbstractSiteStep) step).getSiteYaml(), "the Snippet Generator shows no siteYaml");
            }
            assertNotNull(step.start(new FakeStepContext()), functionName(step));
        }
    }

    @Test
    void aValidSiteYamlStartsEveryStepWithoutTouchingAnything() throws Exception {
        for (Supplier<Step> make : STEPS) {
            Step step = make.get();
            setSiteYaml(step, VALID);
            FakeStepContext context = new FakeStepContext();
            assertNotNull(step.start(context), functionName(step));
            assertEquals("", context.console());
            assertFalse(context.isDone());
        }
        SetHaproxyStep ga = new SetHaproxyStep();
        ga.setSiteYaml(VALID);
        ga.setLiveRelease(43);
        assertNotNull(ga.start(new FakeStepContext()), "liveRelease takes a site given as siteYaml");
        HaproxyStatusStep regions = new HaproxyStatusStep();
        regions.setSiteYaml(VALID);
        regions.setRegions(List.of("eu-frankfurt-1"));
        assertNotNull(regions.start(new FakeStepContext()), "regions apply to a site given as siteYaml");
    }

    @Test
    void liveReleaseStillRefusesExplicitProxiesNamingSiteYamlAsAnAlternative() {
        SetHaproxyStep step = new SetHaproxyStep();
        step.setProxies(List.of("tcp://127.0.0.1:1"));
        step.setLiveRelease(3);
        assertTrue(startFailure(step).contains("allowed: site, siteFile or siteYaml"), startFailure(step));
    }

    // ---- what is shown and what is saved ----

    @Test
    void displayedArgumentsShowTheSitesNameAndRegionsNeverTheText() {
        for (Supplier<Step> make : STEPS) {
            StepDescriptor descriptor = descriptor(make.get());
            Map<String, Object> args = new LinkedHashMap<>();
            args.put("siteYaml", VALID);
            String shown = descriptor.argumentsToString(args);
            assertEquals("siteYaml: <site YAML: stage, 2 regions>", shown, descriptor.getFunctionName());

            String oneRegion = VALID.substring(0, VALID.indexOf("  - name: eu-frankfurt-1"));
            assertEquals("siteYaml: <site YAML: stage, 1 region>", descriptor.argumentsToString(Map.of("siteYaml", oneRegion)));

            for (Hostile h : hostile()) {
                String bad = descriptor.argumentsToString(Map.of("siteYaml", h.text));
                assertEquals("siteYaml: <site YAML: not valid>", bad, h.label);
            }
        }
        Map<String, Object> wait = new LinkedHashMap<>();
        wait.put("siteYaml", VALID);
        wait.put("release", 42);
        assertEquals("siteYaml: <site YAML: stage, 2 regions>, release: 42", new WaitHealthyShardsStep.DescriptorImpl().argumentsToString(wait));
        StringBuilder gstringLike = new StringBuilder(VALID);
        assertEquals("siteYaml: <site YAML: stage, 2 regions>",
                new WithEnvironmentLockStep.DescriptorImpl().argumentsToString(Map.of("siteYaml", gstringLike)), "any CharSequence");
    }

    @Test
    void theSavedReferenceKeepsTheTextAndResolvesWithoutAWorkspaceOrAConfiguredSite() throws Exception {
        SiteRef ref = SiteRef.yaml(VALID);
        assertEquals("siteYaml <site YAML: stage, 2 regions>", ref.toString());
        assertEquals("siteYaml", ref.argument());
        assertFalse(ref.needsWorkspace());
        assertTrue(ref.isYaml());
        SiteRef back = (SiteRef) SerializationCheck.roundTrip(ref);
        Seams nothing = new Seams(); // no configured site, no workspace
        Site site = back.resolve(nothing);
        assertEquals("stage", site.name());
        assertEquals("site 'stage' (siteYaml)", back.describe(site));
        assertEquals(0, nothing.workspaceUses());
        assertEquals(0, nothing.siteLookups());

        assertFalse(SiteRef.of("stage", null).needsWorkspace());
        assertTrue(SiteRef.of(null, "sites/s.yaml").needsWorkspace());
        assertEquals("site, siteFile, siteYaml", assertThrows(InvalidInputException.class, () -> SiteRef.of(null, null, null)).field());
        assertEquals("site, siteYaml", assertThrows(InvalidInputException.class, () -> SiteRef.of("a", null, VALID)).field());
        assertTrue(assertThrows(InvalidInputException.class, () -> SiteRef.of(null, null, "- a list")).getMessage()
                .startsWith("siteYaml: must be a mapping"));
    }

    @Test
    void theFormCheckTreatsAnEmptyFieldAsNotGiven() {
        assertNull(SiteYamlCheck.problem(null));
        assertNull(SiteYamlCheck.problem(""));
        assertNull(SiteYamlCheck.problem("   \n"));
        assertNull(SiteYamlCheck.problem(VALID));
        assertEquals("siteYaml: must be a mapping of keys to values; allowed: a YAML mapping", SiteYamlCheck.problem("- x"));
    }
}
