package io.infrasteps.sandbox.consul;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FilterAndDurationTest {
    private static final Map<String, Object> ENTRY = Map.of(
            "Node", "node-1", "ServiceName", "signal", "ServiceID", "signal-1", "ServicePort", 443,
            "ServiceTags", List.of("primary", "v2"), "ServiceEnableTagOverride", false,
            "ServiceMeta", Map.of("environment", "stage", "k8s-ns", "default"));

    private static boolean matches(String filter) throws Filter.FilterException {
        return Filter.parse(filter, Filter.CATALOG_SERVICE).matches(ENTRY);
    }

    @Test
    void operatorsAndPrecedence() throws Exception {
        assertTrue(matches("ServiceName == \"signal\""));
        assertTrue(matches("ServiceName==signal"));
        assertTrue(matches("ServicePort == 443"));
        assertFalse(matches("ServicePort != 443"));
        assertTrue(matches("ServiceEnableTagOverride == false"));
        assertTrue(matches("\"primary\" in ServiceTags and ServiceTags contains \"v2\""));
        assertTrue(matches("\"v3\" not in ServiceTags"));
        assertTrue(matches("ServiceMeta[\"k8s-ns\"] == \"default\""));
        assertTrue(matches("\"environment\" in ServiceMeta"));
        assertTrue(matches("ServiceID matches \"^signal-[0-9]+$\""));
        assertTrue(matches("ServiceAddress is empty or Node is empty"));
        assertTrue(matches("Node == \"x\" or Node == \"y\" or Node == \"node-1\""));
        assertFalse(matches("Node == \"node-1\" and not ServiceName == \"signal\""));
        assertTrue(matches("(Node == \"x\" or ServiceName == \"signal\") and ServiceMeta.environment == \"stage\""));
        assertTrue(matches("ServiceMeta.missing != \"x\""));
        assertFalse(matches("ServiceMeta.missing == \"x\""));
    }

    @Test
    void errorsNameTheProblem() {
        Filter.FilterException selector = assertThrows(Filter.FilterException.class, () -> matches("ServiceMeta.a.b == \"x\""));
        assertEquals("Failed to create boolean expression evaluator: Selector \"ServiceMeta.a.b\" is not valid", selector.getMessage());
        assertThrows(Filter.FilterException.class, () -> matches("ServicePort == abc"));
        assertThrows(Filter.FilterException.class, () -> matches("ServiceTags == \"x\""));
        assertThrows(Filter.FilterException.class, () -> matches("ServiceName == \"unterminated"));
        assertThrows(Filter.FilterException.class, () -> matches("ServiceName == \"a\" and"));
        assertThrows(Filter.FilterException.class, () -> matches("(ServiceName == \"a\""));
        assertThrows(Filter.FilterException.class, () -> matches("ServiceID matches \"[\""));
    }

    @Test
    void goDurations() {
        assertEquals(10_000_000_000L, GoDuration.parseNanos("10s"));
        assertEquals(500_000_000L, GoDuration.parseNanos("500ms"));
        assertEquals(300_000_000_000L, GoDuration.parseNanos("5m"));
        assertEquals(90_500_000_000L, GoDuration.parseNanos("1m30.5s"));
        assertEquals(0, GoDuration.parseNanos("0"));
        assertEquals(1_000L, GoDuration.parseNanos("1us"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseNanos("10"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseNanos("ten seconds"));
        assertThrows(IllegalArgumentException.class, () -> GoDuration.parseNanos(""));
        assertEquals("24h0m0s", GoDuration.format(86_400_000_000_000L));
        assertEquals("10s", GoDuration.format(10_000_000_000L));
        assertEquals("1.5s", GoDuration.format(1_500_000_000L));
        assertEquals("100ms", GoDuration.format(100_000_000L));
        assertEquals("1m30s", GoDuration.format(90_000_000_000L));
    }
}
