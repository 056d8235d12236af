package io.infrasteps.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SiteYamlTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static SandboxFleet fleet;

    @BeforeAll
    static void startFleet() {
        fleet = SandboxFleet.builder().environment("demo").regions("us-ashburn-1", "eu-frankfurt-1").proxiesPerRegion(2).start();
    }

    @AfterAll
    static void stopFleet() {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void tcpSiteHasExactlyTheSchemaKeys() {
        SandboxProxy first = fleet.proxy("haproxy-us-ashburn-1-1");
        String yaml = fleet.siteYaml(SandboxFleet.Transport.TCP);
        String expectedStart = """
                name: demo
                domain: demo.localhost
                shardBase: demo
                localRegion: us-ashburn-1
                protected: false
                defaults:
                  parallelism: 8
                  timeoutSeconds: 10
                regions:
                  - name: us-ashburn-1
                    datacenter: demo-us-ashburn-1
                    haproxy:
                      - name: haproxy-us-ashburn-1-1
                        address: %s
                        liveMap: %s
                        upMap: %s
                      - name: haproxy-us-ashburn-1-2
                """.formatted(first.tcpAddress(), first.liveMap(), first.upMap());
        assertEquals(expectedStart, yaml.substring(0, expectedStart.length()));
    }

    @Test
    void unixSiteParsesAsYamlWithEveryProxy() throws IOException {
        JsonNode site = YAML.readTree(fleet.siteYaml(SandboxFleet.Transport.UNIX));
        assertEquals(List.of("name", "domain", "shardBase", "localRegion", "protected", "defaults", "regions"), keys(site));
        assertEquals(false, site.get("protected").asBoolean(true));
        JsonNode frankfurt = site.get("regions").get(1);
        assertEquals("demo-eu-frankfurt-1", frankfurt.get("datacenter").asText());
        JsonNode proxy = frankfurt.get("haproxy").get(1);
        assertEquals(List.of("name", "address", "liveMap", "upMap"), keys(proxy));
        SandboxProxy expected = fleet.proxy("haproxy-eu-frankfurt-1-2");
        assertEquals(expected.name(), proxy.get("name").asText());
        assertEquals("unix://" + expected.adminSocket(), proxy.get("address").asText());
        assertEquals(expected.liveMap().toString(), proxy.get("liveMap").asText());
    }

    @Test
    void sshSiteNamesTheCredentialAndKnownHosts() throws IOException {
        String knownHosts = "[127.0.0.1]:2222 ecdsa-sha2-nistp256 AAAAfirst\n[127.0.0.1]:2223 ecdsa-sha2-nistp256 AAAAsecond\n";
        JsonNode site = YAML.readTree(fleet.siteYaml("root", 2222, knownHosts));
        assertEquals(List.of("name", "domain", "shardBase", "localRegion", "protected", "credentials", "haproxy", "defaults", "regions"),
                keys(site));
        assertEquals(SandboxFleet.SSH_CREDENTIAL_ID, site.get("credentials").get("ssh").asText());
        assertEquals(List.of("knownHosts"), keys(site.get("haproxy")));
        assertEquals(knownHosts, site.get("haproxy").get("knownHosts").asText());
        SandboxProxy expected = fleet.proxy("haproxy-us-ashburn-1-1");
        assertEquals("ssh://root@127.0.0.1:2222" + expected.adminSocket(),
                site.get("regions").get(0).get("haproxy").get(0).get("address").asText());
    }

    @Test
    void sshSiteRejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> fleet.siteYaml("root; rm", 22, "x"));
        assertThrows(IllegalArgumentException.class, () -> fleet.siteYaml("root", 0, "x"));
        assertThrows(IllegalArgumentException.class, () -> fleet.siteYaml("root", 22, " "));
    }

    @Test
    void quotesValuesThatAreNotPlainScalars() {
        assertEquals("us-ashburn-1", SiteYaml.scalar("us-ashburn-1"));
        assertEquals("tcp://127.0.0.1:4000", SiteYaml.scalar("tcp://127.0.0.1:4000"));
        assertEquals("\"/tmp/with space/live.map\"", SiteYaml.scalar("/tmp/with space/live.map"));
        assertEquals("\"true\"", SiteYaml.scalar("true"));
        assertEquals("\"123\"", SiteYaml.scalar("123"));
        assertEquals("\"a\\\"b\"", SiteYaml.scalar("a\"b"));
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            keys.add(names.next());
        }
        return keys;
    }
}
