package io.infrasteps.sandbox.consul;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.infrasteps.sandbox.consul.Api.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CatalogHealthTest {
    private SandboxConsul consul;
    private Api api;

    @BeforeEach
    void start() {
        consul = SandboxConsul.start("stage-us-ashburn-1", "stage-eu-frankfurt-1");
        api = new Api(consul);
        register("stage-us-ashburn-1", "s1", "stage", "7", "passing");
        register("stage-us-ashburn-1", "s2", "stage", "8", "critical");
        register("stage-us-ashburn-1", "s3", "prod", "7", "passing");
        register("stage-eu-frankfurt-1", "s4", "stage", "7", "passing");
    }

    private void register(String dc, String shard, String env, String release, String status) {
        String id = "signal-" + shard;
        consul.registerService(dc, "node-" + shard, "10.0.0." + shard.substring(1), id, "signal", 443,
                Map.of("shard", dc + "-" + shard, "environment", env, "release_number", release,
                        "signal_sidecar_http_port", "6000"),
                List.of(new CheckSpec("report-" + shard, "signal report", status, status.equals("passing") ? "" : "down")));
    }

    @AfterEach
    void stop() {
        consul.close();
    }

    private static List<String> ids(JsonNode array, String field) {
        List<String> ids = new ArrayList<>();
        for (JsonNode e : array) {
            ids.add(field.contains("/") ? e.at(field).asText() : e.get(field).asText());
        }
        return ids;
    }

    @Test
    void datacentersStartWithTheAgentsOwn() {
        Api.Reply r = api.get("/v1/catalog/datacenters");
        assertEquals("[\"stage-us-ashburn-1\",\"stage-eu-frankfurt-1\"]", r.body());
    }

    @Test
    void catalogServiceEntriesHaveConsulsShape() {
        Api.Reply r = api.get("/v1/catalog/service/signal");
        assertEquals(200, r.status());
        JsonNode first = r.json().get(0);
        for (String field : List.of("ID", "Node", "Address", "Datacenter", "ServiceID", "ServiceName", "ServiceAddress",
                "ServicePort", "ServiceMeta", "ServiceTags", "CreateIndex", "ModifyIndex")) {
            assertTrue(first.has(field), field);
        }
        assertEquals("node-s1", first.get("Node").asText());
        assertEquals("10.0.0.1", first.get("Address").asText());
        assertEquals("stage-us-ashburn-1", first.get("Datacenter").asText());
        assertEquals("signal-s1", first.get("ServiceID").asText());
        assertEquals(443, first.get("ServicePort").asInt());
        assertEquals("7", first.get("ServiceMeta").get("release_number").asText());
        assertEquals(List.of("signal-s1", "signal-s2", "signal-s3"), ids(r.json(), "ServiceID"));
        assertTrue(r.index() >= 1);
        assertEquals("[]", api.get("/v1/catalog/service/nothing").body());
    }

    @Test
    void domainFilterSelectsByEnvironmentAndRelease() {
        String filter = "ServiceMeta.environment == \"stage\" and ServiceMeta.release_number == \"7\"";
        Api.Reply r = api.get("/v1/catalog/service/signal?dc=stage-us-ashburn-1&filter=" + enc(filter));
        assertEquals(List.of("signal-s1"), ids(r.json(), "ServiceID"));
        Api.Reply frankfurt = api.get("/v1/catalog/service/signal?dc=stage-eu-frankfurt-1&filter=" + enc(filter));
        assertEquals(List.of("signal-s4"), ids(frankfurt.json(), "ServiceID"));
    }

    @Test
    void catalogSelectors() {
        assertEquals(List.of("signal-s2"), ids(api.get("/v1/catalog/service/signal?filter="
                + enc("Node == \"node-s2\"")).json(), "ServiceID"));
        assertEquals(List.of("signal-s1", "signal-s2"), ids(api.get("/v1/catalog/service/signal?filter="
                + enc("ServiceID != \"signal-s3\" and ServiceName == \"signal\"")).json(), "ServiceID"));
        assertEquals(List.of("signal-s3"), ids(api.get("/v1/catalog/service/signal?filter="
                + enc("ServiceMeta.environment != \"stage\"")).json(), "ServiceID"));
        assertEquals(List.of("signal-s1", "signal-s3"), ids(api.get("/v1/catalog/service/signal?filter="
                + enc("ServiceMeta[\"release_number\"] == `7` or ServicePort == 1")).json(), "ServiceID"));
        assertEquals(List.of(), ids(api.get("/v1/catalog/service/signal?filter="
                + enc("ServiceMeta.absent == \"x\"")).json(), "ServiceID"));
        assertEquals(List.of("signal-s2"), ids(api.get("/v1/catalog/service/signal?filter="
                + enc("not (ServiceMeta.release_number == \"7\")")).json(), "ServiceID"));
    }

    @Test
    void healthEntriesAndPassing() {
        Api.Reply all = api.get("/v1/health/service/signal");
        assertEquals(3, all.json().size());
        JsonNode first = all.json().get(0);
        assertEquals("node-s1", first.at("/Node/Node").asText());
        assertEquals("stage-us-ashburn-1", first.at("/Node/Datacenter").asText());
        assertEquals("signal-s1", first.at("/Service/ID").asText());
        assertEquals("signal", first.at("/Service/Service").asText());
        assertEquals("10.0.0.1", first.at("/Service/Address").asText());
        assertEquals(443, first.at("/Service/Port").asInt());
        assertEquals("stage", first.at("/Service/Meta/environment").asText());
        JsonNode check = first.get("Checks").get(0);
        for (String field : List.of("Node", "CheckID", "Name", "Status", "Output", "ServiceID", "ServiceName")) {
            assertTrue(check.has(field), field);
        }
        assertEquals("report-s1", check.get("CheckID").asText());
        assertEquals("signal-s1", check.get("ServiceID").asText());

        assertEquals(List.of("signal-s1", "signal-s3"), ids(api.get("/v1/health/service/signal?passing").json(), "/Service/ID"));
        assertEquals(List.of("signal-s1", "signal-s3"), ids(api.get("/v1/health/service/signal?passing=true").json(), "/Service/ID"));
        assertEquals(3, api.get("/v1/health/service/signal?passing=false").json().size());
        assertEquals(400, api.get("/v1/health/service/signal?passing=maybe").status());

        consul.setNodeCheck("stage-us-ashburn-1", "node-s1", "serfHealth", "critical", "node down");
        assertEquals(List.of("signal-s3"), ids(api.get("/v1/health/service/signal?passing").json(), "/Service/ID"),
                "a failing node check fails every service on the node");
    }

    @Test
    void healthSelectors() {
        assertEquals(List.of("signal-s1"), ids(api.get("/v1/health/service/signal?passing&filter="
                + enc("Service.Meta.environment == \"stage\" and Service.Meta.release_number == \"7\"")).json(), "/Service/ID"));
        assertEquals(List.of("signal-s2"), ids(api.get("/v1/health/service/signal?filter="
                + enc("Service.ID == \"signal-s2\" and Service.Service == \"signal\"")).json(), "/Service/ID"));
        assertEquals(List.of("signal-s3"), ids(api.get("/v1/health/service/signal?filter="
                + enc("Node.Node == \"node-s3\"")).json(), "/Service/ID"));
        assertEquals(List.of("signal-s2"), ids(api.get("/v1/health/service/signal?filter="
                + enc("\"critical\" in Checks.Status")).json(), "/Service/ID"));
    }

    @Test
    void badFiltersFailLikeConsul() {
        Api.Reply unknown = api.get("/v1/catalog/service/signal?filter=" + enc("ServiceMetaX.environment == \"stage\""));
        assertEquals(500, unknown.status(), "a real Consul answers a filter error with 500");
        assertEquals("Failed to create boolean expression evaluator: Selector \"ServiceMetaX\" is not valid", unknown.body());

        Api.Reply syntax = api.get("/v1/catalog/service/signal?filter=" + enc("ServiceName = \"signal\""));
        assertEquals(500, syntax.status());
        assertTrue(syntax.body().startsWith("Failed to create boolean expression evaluator: 1:13 (12): no match found"),
                syntax.body());

        Api.Reply healthSelectorOnCatalog = api.get("/v1/health/service/signal?filter=" + enc("ServiceMeta.environment == \"stage\""));
        assertEquals("Failed to create boolean expression evaluator: Selector \"ServiceMeta\" is not valid",
                healthSelectorOnCatalog.body());

        Api.Reply remote = api.get("/v1/catalog/service/signal?dc=stage-eu-frankfurt-1&filter=" + enc("Nope == \"x\""));
        assertEquals("rpc error making call: Failed to create boolean expression evaluator: Selector \"Nope\" is not valid",
                remote.body());

        Api.Reply collectionEquality = api.get("/v1/health/service/signal?filter=" + enc("Checks.Status == \"passing\""));
        assertEquals(500, collectionEquality.status());
        assertTrue(collectionEquality.body().contains("Invalid match operator"), collectionEquality.body());

        consul.badFilterStatus(400);
        assertEquals(400, api.get("/v1/catalog/service/signal?filter=" + enc("Bogus == \"x\"")).status());
    }

    @Test
    void unknownDatacenterIs500NoPathToDatacenter() {
        Api.Reply r = api.get("/v1/catalog/service/signal?dc=mars-1");
        assertEquals(500, r.status());
        assertEquals("No path to datacenter", r.body());
        assertEquals(500, api.get("/v1/health/service/signal?dc=mars-1").status());
    }

    @Test
    void serviceIndexMovesOnlyWithThatService() {
        long signal = api.get("/v1/health/service/signal").index();
        consul.registerService("stage-us-ashburn-1", "node-h", "10.0.1.1", "haproxy-1", "haproxy", 80, Map.of(), List.of());
        assertEquals(signal, api.get("/v1/health/service/signal").index(), "another service changed");
        consul.setCheck("stage-us-ashburn-1", "signal-s2", "report-s2", "passing", "");
        long afterCheck = api.get("/v1/health/service/signal").index();
        assertTrue(afterCheck > signal);
        assertEquals(afterCheck, api.get("/v1/catalog/service/signal").index());
        consul.setCheck("stage-us-ashburn-1", "signal-s2", "report-s2", "passing", "");
        assertEquals(afterCheck, api.get("/v1/health/service/signal").index(), "no change, no new index");

        consul.deregister("stage-us-ashburn-1", "signal-s2");
        long afterDeregister = api.get("/v1/catalog/service/signal").index();
        assertTrue(afterDeregister > afterCheck);
        assertEquals(2, api.get("/v1/catalog/service/signal").json().size());
        assertThrows(IllegalArgumentException.class, () -> consul.deregister("stage-us-ashburn-1", "signal-s2"));
        assertThrows(IllegalArgumentException.class, () -> consul.setCheck("nope", "signal-s1", "c", "passing", ""));
    }
}
