package io.infrasteps.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Logs in to the sandbox sshd with the system OpenSSH client. */
class LocalSshdTest {
    private static LocalSshd sshd;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startSshd() {
        sshd = LocalSshd.start();
    }

    @AfterAll
    static void stopSshd() {
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void runsACommandWhenTheHostKeyIsKnown() throws Exception {
        Result echo = ssh(sshd.knownHostsLine(), sshd.clientKeyFile(), "", "echo", "ok");
        assertEquals(0, echo.exitCode, echo.output);
        assertEquals("ok", echo.output.strip());

        Result socat = ssh(sshd.knownHostsLine(), sshd.clientKeyFile(), "", "socat", "-V");
        assertEquals(0, socat.exitCode, socat.output);
        assertTrue(socat.output.contains("socat version"), socat.output);
    }

    @Test
    void refusesAHostKeyMismatch() throws Exception {
        assertNotEquals(sshd.knownHostsLine(), sshd.wrongKnownHostsLine());
        Result result = ssh(sshd.wrongKnownHostsLine(), sshd.clientKeyFile(), "", "echo", "ok");
        assertEquals(255, result.exitCode, result.output);
        assertTrue(result.output.contains("Host key verification failed"), result.output);
    }

    @Test
    void reachesAnHaproxyUnixSocketThroughSocat() throws Exception {
        try (SandboxFleet fleet = SandboxFleet.builder().regions("us-ashburn-1").shardsPerRegion(1).start()) {
            SandboxProxy proxy = fleet.proxies().get(0);
            Result result = ssh(sshd.knownHostsLine(), sshd.clientKeyFile(), "show info\n",
                    "socat", "stdio", "UNIX-CONNECT:" + proxy.adminSocket());
            assertEquals(0, result.exitCode, result.output);
            assertTrue(result.output.contains("Name: HAProxy"), result.output);
            assertTrue(fleet.siteYaml(sshd).contains("address: " + proxy.sshAddress(sshd.user(), sshd.port()) + "\n"));
        }
    }

    @Test
    void offersPemKeysOneOfThemEncrypted() throws Exception {
        assertTrue(sshd.clientKeyPem().startsWith("-----BEGIN EC PRIVATE KEY-----\n"), sshd.clientKeyPem());
        assertFalse(sshd.clientKeyPem().contains("ENCRYPTED"));
        assertTrue(sshd.protectedClientKeyPem().startsWith("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"));

        Result decrypted = run(List.of("ssh-keygen", "-y", "-P", sshd.passphrase(), "-f", sshd.protectedClientKeyFile().toString()), "");
        assertEquals(0, decrypted.exitCode, decrypted.output);
        Result wrong = run(List.of("ssh-keygen", "-y", "-P", "not-the-passphrase", "-f", sshd.protectedClientKeyFile().toString()), "");
        assertNotEquals(0, wrong.exitCode);
        // The encrypted key also logs in; ssh reads the passphrase from SSH_ASKPASS.
        Result login = ssh(sshd.knownHostsLine(), sshd.protectedClientKeyFile(), "", "echo", "ok");
        assertEquals(0, login.exitCode, login.output);
    }

    @Test
    void banner() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", sshd.port()), 1000);
            socket.setSoTimeout(2000);
            byte[] start = socket.getInputStream().readNBytes(7);
            assertEquals("SSH-2.0", new String(start, StandardCharsets.US_ASCII));
        }
        assertEquals("[127.0.0.1]:" + sshd.port() + " " + sshd.hostPublicKey(), sshd.knownHostsLine());
        assertTrue(sshd.hostPublicKey().startsWith("ecdsa-sha2-nistp256 AAAA"));
    }

    @Test
    void closeStopsSshdAndDeletesItsFiles() {
        LocalSshd own = LocalSshd.start();
        long pid = own.pid();
        int port = own.port();
        Path key = own.clientKeyFile();
        own.close();
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(key));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    private Result ssh(String knownHostsLine, Path key, String stdin, String... command) throws Exception {
        Path knownHosts = Files.writeString(tmp.resolve("known_hosts"), knownHostsLine + "\n");
        Path askpass = tmp.resolve("askpass.sh");
        Files.writeString(askpass, "#!/bin/sh\nprintf '%s\\n' \"$SANDBOX_PASSPHRASE\"\n");
        askpass.toFile().setExecutable(true);
        List<String> argv = new ArrayList<>(List.of("ssh", "-F", "/dev/null",
                "-i", key.toString(), "-o", "IdentitiesOnly=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes", "-o", "ConnectTimeout=5",
                "-p", String.valueOf(sshd.port()), sshd.user() + "@127.0.0.1"));
        argv.addAll(List.of(command));
        return run(argv, stdin);
    }

    private Result run(List<String> argv, String stdin) throws Exception {
        Path in = Files.writeString(tmp.resolve("stdin"), stdin);
        Path out = tmp.resolve("output");
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectInput(in.toFile()).redirectOutput(out.toFile());
        builder.environment().put("SSH_ASKPASS", tmp.resolve("askpass.sh").toString());
        builder.environment().put("SSH_ASKPASS_REQUIRE", "force");
        builder.environment().put("SANDBOX_PASSPHRASE", sshd.passphrase());
        Process process = builder.start();
        try {
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "timed out: " + argv);
            return new Result(process.exitValue(), Files.readString(out));
        } finally {
            process.destroyForcibly();
        }
    }

    private record Result(int exitCode, String output) {
    }
}
