package io.infrasteps.sandbox;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FakeShardTest {

    @Test
    void answersHealthReportAndRoot() throws Exception {
        try (FakeShard shard = FakeShard.start("sandbox-us-ashburn-1-s1")) {
            assertEquals("127.0.0.1", shard.address().getAddress().getHostAddress());

            HttpResponse<String> health = Http.get(shard.port(), "/about/health");
            assertEquals(200, health.statusCode());
            assertEquals("OK", health.body());

            HttpResponse<String> report = Http.get(shard.port(), "/signal/report");
            assertEquals(200, report.statusCode());
            assertEquals("{\"healthy\":true,\"shard\":\"sandbox-us-ashburn-1-s1\"}", report.body());
            assertEquals("application/json", report.headers().firstValue("Content-Type").orElseThrow());

            HttpResponse<String> root = Http.get(shard.port(), "/");
            assertEquals(200, root.statusCode());
            assertTrue(root.body().contains("sandbox-us-ashburn-1-s1"), root.body());

            assertEquals(404, Http.get(shard.port(), "/nothing").statusCode());
        }
    }

    @Test
    void unhealthyShardAnswers503AndReportsIt() throws Exception {
        try (FakeShard shard = FakeShard.start("s1")) {
            shard.setHealthy(false);
            assertEquals(503, Http.get(shard.port(), "/about/health").statusCode());
            assertEquals("{\"healthy\":false,\"shard\":\"s1\"}", Http.get(shard.port(), "/signal/report").body());

            shard.setHealthy(true);
            assertEquals(200, Http.get(shard.port(), "/about/health").statusCode());
        }
    }

    @Test
    void closedShardRefusesConnections() throws Exception {
        FakeShard shard = FakeShard.start("s1");
        int port = shard.port();
        shard.close();
        assertThrows(ConnectException.class, () -> Http.get(port, "/about/health"));
    }

    @Test
    void rejectsNamesThatWouldNeedEscaping() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> FakeShard.start("a\"b"));
        assertTrue(error.getMessage().contains("shard name"), error.getMessage());
    }
}
