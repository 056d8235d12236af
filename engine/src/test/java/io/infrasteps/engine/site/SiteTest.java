package io.infrasteps.engine.site;

import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.haproxy.ProxyEndpoint;
import io.infrasteps.engine.haproxy.RuntimeApiAddress;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SiteTest {
    private static final String MINIMAL = String.join("\n",
            "name: stage-x",
            "domain: stage.example.com",
            "regions:",
            "  - name: us-ashburn-1",
            "    haproxy:",
            "      - name: a",
            "        address: tcp://127.0.0.1:9000",
            "  - name: eu-frankfurt-1",
            "    haproxy:",
            "      - name: a",
            "        address: unix:///run/haproxy/admin.sock",
            "      - name: b",
            "        address: ssh://haproxy@10.0.0.5:2222/var/run/haproxy/admin.sock",
            "");

    @Test
    void parsesTheExampleSiteOfTheSharedLibrary() throws IOException {
        Path example = Path.of("..", "resources", "sites", "stage-example.yaml");
        Site site = Site.parse(Files.readString(example), "sites/stage-example.yaml");
        assertEquals("stage-example", site.name());
        assertEquals(List.of("us-ashburn-1", "eu-frankfurt-1"), site.regionNames());
        assertEquals("stage-example-eu-frankfurt-1", site.findRegion("eu-frankfurt-1").orElseThrow().datacenter());
        assertEquals("haproxy-ssh-key", site.credentials().ssh());
        assertEquals("/etc/haproxy/maps/live.map", site.proxies(List.of()).get(0).liveMap());
        assertTrue(site.knownHosts().contains("ecdsa-sha2-nistp256"));
    }

    @Test
    void appliesDefaults() {
        Site site = Site.parse(MINIMAL, "min.yaml");
        assertEquals("stage-x", site.shardBase());
        assertEquals("us-ashburn-1", site.localRegion());
        assertFalse(site.isProtected());
        assertEquals(8, site.parallelism());
        assertEquals(10, site.commandTimeout().getSeconds());
        assertEquals("stage-x-us-ashburn-1", site.regions().get(0).datacenter());
        assertNull(site.credentials().ssh());
    }

    @Test
    void selectsProxiesByRegion() {
        Site site = Site.parse(MINIMAL, "min.yaml");
        assertEquals(3, site.proxies(List.of()).size());
        List<ProxyEndpoint> frankfurt = site.proxies(List.of("eu-frankfurt-1"));
        assertEquals(2, frankfurt.size());
        assertEquals(RuntimeApiAddress.Kind.SSH, frankfurt.get(1).address().kind());
        assertEquals(2222, frankfurt.get(1).address().port());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> site.proxies(List.of("mars-1")));
        assertEquals("regions", e.field());
        assertTrue(e.getMessage().contains("us-ashburn-1"), e.getMessage());
    }

    @Test
    void unknownKeysAreErrorsNamingTheirPath() {
        String yaml = MINIMAL.replace("        address: unix:///run/haproxy/admin.sock", "        adress: unix:///run/haproxy/admin.sock");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Site.parse(yaml, "s.yaml"));
        assertTrue(e.getMessage().startsWith("s.yaml: regions[1].haproxy[0]."), e.getMessage());
    }

    @Test
    void badValuesNameTheirPath() {
        assertPathError(MINIMAL.replace("tcp://127.0.0.1:9000", "tcp://127.0.0.1:99999"), "regions[0].haproxy[0].address port");
        assertPathError(MINIMAL.replace("tcp://127.0.0.1:9000", "http://x"), "regions[0].haproxy[0].address");
        assertPathError(MINIMAL.replace("unix:///run/haproxy/admin.sock", "unix:///run/../etc/shadow"), "regions[1].haproxy[0].address path");
        assertPathError(MINIMAL.replace("name: eu-frankfurt-1", "name: EU_frankfurt"), "regions[1].name");
        assertPathError(MINIMAL.replace("name: stage-x", "name: stage;x"), "name");
        assertPathError(MINIMAL.replace("name: eu-frankfurt-1", "name: us-ashburn-1"), "regions[1].name");
        assertPathError(MINIMAL + "defaults:\n  parallelism: 1000\n", "defaults.parallelism");
        assertPathError(MINIMAL + "defaults:\n  parallelism: many\n", "defaults.parallelism");
        assertPathError(MINIMAL + "credentials:\n  ssh: 'a b'\n", "credentials.ssh");
        assertPathError(MINIMAL + "protected: maybe\n", "protected");
        assertPathError(MINIMAL + "localRegion: mars-1\n", "localRegion");
        assertPathError(MINIMAL + "haproxy:\n  knownHosts: 'not a key line'\n", "haproxy.knownHosts line 1");
        assertPathError(MINIMAL.replace("      - name: b\n", "      - name: a\n"), "regions[1].haproxy[1].name");
    }

    @Test
    void rejectsTextThatIsNotASiteWithoutEchoingIt() {
        for (String text : List.of("", "   ", "- a\n- b\n", "name: [unclosed", "secret-token-value")) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> Site.parse(text, "s.yaml"));
            assertTrue(e.getMessage().startsWith("s.yaml"), e.getMessage());
            assertFalse(!text.isBlank() && e.getMessage().contains(text), e.getMessage());
        }
    }

    private static void assertPathError(String yaml, String path) {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Site.parse(yaml, "s.yaml"));
        assertEquals("s.yaml: " + path, e.field(), e.getMessage());
    }

    @Test
    void readsServicesOciAndTerraformSections() {
        Site site = Site.parse(MINIMAL + String.join("\n",
                "credentials:",
                "  oci: oci-api-key",
                "  terraformState: tf-state-keys",
                "services:",
                "  - name: web",
                "    job: nomad/web.hcl",
                "  - name: jvb",
                "    pack: jitsi_meet_jvb",
                "oci:",
                "  tenancy: ocid1.tenancy.oc1..aaaaexample",
                "  compartment: ocid1.compartment.oc1..aaaaexample",
                "  endpoint: http://127.0.0.1:8123",
                "terraform:",
                "  binary: tofu",
                "  stateEndpoint: http://127.0.0.1:9000",
                ""), "s.yaml");
        assertEquals(2, site.services().size());
        assertEquals("nomad/web.hcl", site.findService("web").orElseThrow().job());
        assertEquals("jitsi_meet_jvb", site.findService("jvb").orElseThrow().pack());
        assertEquals("ocid1.compartment.oc1..aaaaexample", site.oci().compartment());
        assertEquals(8123, site.oci().endpoint().getPort());
        assertEquals("tofu", site.terraform().binary());
        assertEquals("tf-state-stage-x", site.terraform().stateBucket());
        assertEquals("oci-api-key", site.credentials().oci());
        assertEquals("tf-state-keys", site.credentials().terraformState());
    }

    @Test
    void defaultsWithoutTheNewSections() {
        Site site = Site.parse(MINIMAL, "s.yaml");
        assertTrue(site.services().isEmpty());
        assertNull(site.oci());
        assertEquals("terraform", site.terraform().binary());
        assertNull(site.terraform().stateEndpoint());
    }

    @Test
    void rejectsBadServicesOciAndTerraformValues() {
        InvalidInputException traversal = assertThrows(InvalidInputException.class, () -> Site.parse(MINIMAL
                + "services:\n  - name: web\n    job: ../../etc/passwd\n", "s.yaml"));
        assertEquals("s.yaml: services[0].job", traversal.field());
        InvalidInputException both = assertThrows(InvalidInputException.class, () -> Site.parse(MINIMAL
                + "services:\n  - name: web\n    job: nomad/web.hcl\n    pack: web\n", "s.yaml"));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());
        InvalidInputException ocid = assertThrows(InvalidInputException.class, () -> Site.parse(MINIMAL
                + "oci:\n  tenancy: ocid1.tenancy.oc1..aaaa\n  compartment: my-compartment\n", "s.yaml"));
        assertEquals("s.yaml: oci.compartment", ocid.field());
        InvalidInputException binary = assertThrows(InvalidInputException.class, () -> Site.parse(MINIMAL
                + "terraform:\n  binary: 'terraform; rm -rf /'\n", "s.yaml"));
        assertEquals("s.yaml: terraform.binary", binary.field());
        assertFalse(binary.getMessage().contains("rm -rf"));
    }
}
