package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.HostileValues;
import io.infrasteps.engine.common.InvalidInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every value that reaches a runtime API command or an address is validated and named. */
class RuntimeInputsTest {
    @Test
    void addressesParse() {
        assertEquals("tcp://127.0.0.1:9999", RuntimeApiAddress.parse("p", "tcp://127.0.0.1:9999").toString());
        RuntimeApiAddress ssh = RuntimeApiAddress.parse("p", "ssh://haproxy@lb-1.example.com/var/run/haproxy/admin.sock");
        assertEquals("haproxy", ssh.user());
        assertEquals(22, ssh.port());
        assertEquals("/var/run/haproxy/admin.sock", ssh.path());
        assertEquals("unix:///run/admin.sock", RuntimeApiAddress.parse("p", "unix:///run/admin.sock").toString());
    }

    @Test
    void hostileAddressesAreRejectedNamingTheField() {
        for (String bad : HostileValues.all()) {
            for (String form : new String[] {"%s", "tcp://%s:80", "tcp://127.0.0.1:%s", "unix:///run/%s", "ssh://%s@h/p", "ssh://u@%s/p", "ssh://u@h/%s"}) {
                String text = String.format(form, bad);
                InvalidInputException e = assertThrows(InvalidInputException.class, () -> RuntimeApiAddress.parse("proxies[0]", text), text);
                assertTrue(e.field().startsWith("proxies[0]"), e.getMessage());
                assertTrue(e.getMessage().contains("allowed:"), e.getMessage());
                assertFalse(bad.length() > 3 && e.getMessage().contains(bad), "echoed the value: " + e.getMessage());
            }
        }
    }

    @Test
    void hostileNamesNeverBecomeCommands() {
        for (String bad : HostileValues.all()) {
            assertEquals("shard", assertThrows(InvalidInputException.class, () -> ServerTarget.shard(bad)).field());
            assertEquals("backend", assertThrows(InvalidInputException.class, () -> ServerTarget.of(bad, "s1")).field());
            assertEquals("server", assertThrows(InvalidInputException.class, () -> ServerTarget.of("b", bad)).field());
            assertEquals("backend", assertThrows(InvalidInputException.class,
                    () -> RuntimeCommand.setServerState(bad, "s", ServerState.DRAIN)).field());
            assertEquals("key", assertThrows(InvalidInputException.class,
                    () -> RuntimeCommand.addMapEntry(1, "/m.map", bad, "v")).field());
            assertEquals("value", assertThrows(InvalidInputException.class,
                    () -> RuntimeCommand.addMapEntry(1, "/m.map", "k", bad)).field());
            assertEquals("map", assertThrows(InvalidInputException.class, () -> RuntimeCommand.showMap("/maps/" + bad)).field());
            assertEquals("state", assertThrows(InvalidInputException.class, () -> ServerState.parse("state", bad)).field());
        }
        assertEquals("weight", assertThrows(InvalidInputException.class, () -> RuntimeCommand.setWeight("b", "s", 257)).field());
        assertEquals("weight", assertThrows(InvalidInputException.class, () -> RuntimeCommand.setWeight("b", "s", -1)).field());
    }

    @Test
    void commandsAreBuiltFromValidatedParts() {
        assertEquals("set server release-3/stage-x-us-ashburn-1-s2 state drain",
                RuntimeCommand.setServerState("release-3", "stage-x-us-ashburn-1-s2", ServerState.DRAIN).text());
        assertEquals("add map @4 /etc/haproxy/live.map live release-7",
                RuntimeCommand.addMapEntry(4, "/etc/haproxy/live.map", "live", "release-7").text());
        assertTrue(RuntimeCommand.commitMap(4, "/m.map").expectsEmptyReply());
        assertFalse(RuntimeCommand.showStat().expectsEmptyReply());
    }

    @Test
    void sshOptionsNeverShowTheKey() {
        SshOptions options = new SshOptions(null, "-----BEGIN PRIVATE KEY-----SECRETKEYTEXT".toCharArray(), "hunter2".toCharArray(),
                "[h]:22 ssh-ed25519 AAAA");
        assertFalse(options.toString().contains("SECRETKEYTEXT"));
        assertFalse(options.toString().contains("hunter2"));
        assertEquals("knownHosts", assertThrows(InvalidInputException.class,
                () -> new SshOptions(null, "k".toCharArray(), null, " ")).field());
    }
}
