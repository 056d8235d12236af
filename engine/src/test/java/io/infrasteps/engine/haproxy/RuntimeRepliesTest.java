package io.infrasteps.engine.haproxy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Reply shapes as HAProxy 2.6 prints them; the live ones are exercised against real processes elsewhere. */
class RuntimeRepliesTest {
    @Test
    void serversStateColumnsAreFoundByName() {
        String reply = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight "
                + "srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state "
                + "bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr "
                + "srv_agent_addr srv_agent_port\n"
                + "3 release-1 1 shard-s1 127.0.0.1 2 8 1 1 5 6 3 4 6 0 0 0 - 8081 - 0 0 - - 0\n";
        List<Map<String, String>> rows = RuntimeReplies.serversState(reply);
        assertEquals(1, rows.size());
        assertEquals("shard-s1", rows.get(0).get("srv_name"));
        ServerRow row = new ServerRow("release-1", "shard-s1", "127.0.0.1", 2, 8, 1, "DRAIN", 0, "L7OK", false);
        assertEquals(ServerState.DRAIN, row.adminState());
        assertEquals(ServerState.MAINT, new ServerRow("b", "s", "a", 0, 0x01 | 0x08, 1, "MAINT", 0, "-", false).adminState());
    }

    @Test
    void malformedRepliesAreReported() {
        assertThrows(RuntimeReplies.MalformedReplyException.class, () -> RuntimeReplies.serversState("Unknown command.\n"));
        assertThrows(RuntimeReplies.MalformedReplyException.class, () -> RuntimeReplies.stat("garbage"));
        assertThrows(RuntimeReplies.MalformedReplyException.class, () -> RuntimeReplies.map("not a map line\n", "/m"));
        assertThrows(RuntimeReplies.MalformedReplyException.class, () -> RuntimeReplies.preparedVersion("Unknown map", "/m"));
        assertEquals(3, RuntimeReplies.preparedVersion("New version created: 3\n", "/m"));
        assertEquals(5, RuntimeReplies.weight("5 (initial 1)\n"));
    }

    @Test
    void errorTextIsShortenedAndFreeOfControlCharacters() {
        assertEquals("a?b", RuntimeReplies.firstLine("a\u001bb\nsecond"));
        assertEquals(163, RuntimeReplies.firstLine("x".repeat(500)).length());
    }
}
