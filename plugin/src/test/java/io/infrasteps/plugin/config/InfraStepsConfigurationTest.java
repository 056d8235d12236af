package io.infrasteps.plugin.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Descriptor;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.site.Site;
import java.util.List;
import java.util.function.Consumer;
import net.sf.json.JSONObject;
import org.junit.jupiter.api.Test;
import org.kohsuke.stapler.StaplerRequest2;

class InfraStepsConfigurationTest {

    static final String STAGE = """
            name: stage
            domain: stage.example.com
            regions:
              - name: us-ashburn-1
                haproxy:
                  - name: haproxy-a
                    address: tcp://127.0.0.1:9999
            """;

    static final String PROD = STAGE.replace("name: stage", "name: prod").replace("stage.example.com", "prod.example.com");

    @Test
    void siteNamesAreValidated() {
        for (String bad : List.of("", "Stage", "a b", "a;b", "a\nb", "../x", "x".repeat(10_000), "ünï")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> new SiteDefinition(bad, STAGE));
            assertTrue(e.getMessage().startsWith("name: "), e.getMessage());
            assertTrue(e.getMessage().contains("allowed: lower-case letters"), e.getMessage());
        }
        assertEquals("stage", new SiteDefinition(" stage ", STAGE).getName());
        assertNull(SiteDefinition.nameProblem("stage"));
        assertTrue(SiteDefinition.nameProblem("a;b").startsWith("name: "));
    }

    @Test
    void yamlValidationReportsTheEnginesErrorWithThePath() {
        assertNull(SiteDefinition.yamlProblem(STAGE));
        assertTrue(SiteDefinition.yamlProblem("").startsWith("Site YAML is required"));
        assertTrue(SiteDefinition.yamlProblem("name: [").contains("is not valid YAML"), SiteDefinition.yamlProblem("name: ["));
        String unknownKey = SiteDefinition.yamlProblem(STAGE + "colour: blue\n");
        assertTrue(unknownKey.contains("colour"), unknownKey);
        String badAddress = SiteDefinition.yamlProblem(STAGE.replace("tcp://127.0.0.1:9999", "tcp://127.0.0.1:99999"));
        assertTrue(badAddress.contains("regions[0].haproxy[0].address"), badAddress);
    }

    static InfraStepsConfiguration config(SiteDefinition... sites) {
        InfraStepsConfiguration c = new InfraStepsConfiguration();
        c.setSites(List.of(sites));
        return c;
    }

    @Test
    void getSiteParsesTheNamedSiteAndNamesUnknownOnes() {
        InfraStepsConfiguration c = config(new SiteDefinition("stage", STAGE), new SiteDefinition("prod", PROD));
        Site site = c.getSite("prod");
        assertEquals("prod", site.name());
        assertEquals(List.of("stage", "prod"), c.getSiteNames());
        InvalidInputException unknown = assertThrows(InvalidInputException.class, () -> c.getSite("dev"));
        assertEquals("site: names no configured site 'dev'; allowed: one of [stage, prod]", unknown.getMessage());
        InvalidInputException hostile = assertThrows(InvalidInputException.class, () -> c.getSite("dev\nINFO fake"));
        assertTrue(hostile.getMessage().startsWith("site: is not valid (contains a newline"), hostile.getMessage());
        InvalidInputException none = assertThrows(InvalidInputException.class, () -> new InfraStepsConfiguration().getSite("stage"));
        assertTrue(none.getMessage().contains("none is configured"), none.getMessage());
    }

    @Test
    void brokenOrDuplicateSitesAreNeverSaved() {
        InfraStepsConfiguration c = config(new SiteDefinition("stage", STAGE));
        InvalidInputException dup = assertThrows(InvalidInputException.class,
                () -> c.setSites(List.of(new SiteDefinition("stage", STAGE), new SiteDefinition("stage", PROD))));
        assertTrue(dup.getMessage().contains("names site 'stage' twice"), dup.getMessage());
        InvalidInputException broken = assertThrows(InvalidInputException.class,
                () -> c.setSites(List.of(new SiteDefinition("prod", "name: prod\n"))));
        assertTrue(broken.getMessage().startsWith("site 'prod': "), broken.getMessage());
        assertEquals(List.of("stage"), c.getSiteNames(), "a rejected change keeps the previous sites");
    }

    /** A form submission: Stapler binds the JSON by calling the @DataBoundSetter. */
    static StaplerRequest2 request(Consumer<Object> bind) {
        return (bean, json) -> bind.accept(bean);
    }

    @Test
    void configureBindsTheFormAndAnEmptyFormRemovesAllSites() throws Exception {
        InfraStepsConfiguration c = config(new SiteDefinition("stage", STAGE));
        assertTrue(c.configure(request(bean -> ((InfraStepsConfiguration) bean).setSites(List.of(new SiteDefinition("prod", PROD)))),
                new JSONObject()));
        assertEquals(List.of("prod"), c.getSiteNames());
        assertTrue(c.configure(request(bean -> { }), new JSONObject()));
        assertEquals(List.of(), c.getSiteNames(), "a form without sites (last one deleted) clears them");
    }

    @Test
    void configureReportsABadSiteAsAFormErrorAndKeepsTheOldSites() {
        InfraStepsConfiguration c = config(new SiteDefinition("stage", STAGE));
        Descriptor.FormException e = assertThrows(Descriptor.FormException.class, () -> c.configure(request(bean ->
                ((InfraStepsConfiguration) bean).setSites(List.of(new SiteDefinition("prod", "name: prod\n")))), new JSONObject()));
        assertTrue(e.getMessage().startsWith("site 'prod': "), e.getMessage());
        assertEquals(List.of("stage"), c.getSiteNames());
        RuntimeException wrapped = new RuntimeException("binding failed", new InvalidInputException("name", "is required", "x"));
        Descriptor.FormException f = assertThrows(Descriptor.FormException.class,
                () -> c.configure(request(bean -> { throw wrapped; }), new JSONObject()));
        assertEquals("name: is required; allowed: x", f.getMessage());
        assertSame(wrapped, f.getCause());
    }
}
