package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.site.Site;
import io.infrasteps.sandbox.LocalSshd;
import io.infrasteps.sandbox.SandboxFleet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSH transport against the real OpenSSH server, with host keys always verified. */
class SshTransportTest {
    private static SandboxFleet sandbox;
    private static LocalSshd sshd;

    @BeforeAll
    static void start() {
        sandbox = SandboxFleet.builder().regions("us-ashburn-1").proxiesPerRegion(2).shardsPerRegion(2).start();
        sshd = LocalSshd.start();
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
        sandbox.close();
    }

    private static SshOptions options(String key, String passphrase, String knownHosts) {
        return new SshOptions(null, key.toCharArray(), passphrase == null ? null : passphrase.toCharArray(), knownHosts);
    }

    @Test
    void drainsAndReadiesThroughSocatOverSsh() throws Exception {
        Site site = Site.parse(sandbox.siteYaml(sshd), "sandbox-ssh");
        List<String> console = Collections.synchronizedList(new ArrayList<>());
        String shard = sandbox.shards().get(0).name();
        try (HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(10),
                options(sshd.clientKeyPem(), null, site.knownHosts()))) {
            HaproxyFleet fleet = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(4, false));
            FleetStatus status = fleet.status(console::add, Cancellation.create());
            assertTrue(status.allOk(), console.toString());
            assertEquals(4, status.proxies().get(0).servers().size(), "2 shard backends and release-1 with both shards");

            FleetChange drain = fleet.setServerState(ServerTarget.shard(shard), ServerState.DRAIN, false, console::add, Cancellation.create());
            assertTrue(drain.allSucceeded(), drain.summary());
            assertTrue(drain.outcomes().stream().allMatch(o -> o.result() == ProxyOutcome.Result.CHANGED));
            FleetChange ready = fleet.setServerState(ServerTarget.shard(shard), ServerState.READY, false, console::add, Cancellation.create());
            assertTrue(ready.allSucceeded(), ready.summary());
        }
        assertNoKeyMaterial(String.join("\n", console));
        assertNoKeyMaterial(Files.readString(sshd.logFile()));
    }

    @Test
    void aPassphraseProtectedKeyWorks() {
        Site site = Site.parse(sandbox.siteYaml(sshd), "sandbox-ssh");
        try (HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(10),
                options(sshd.protectedClientKeyPem(), sshd.passphrase(), site.knownHosts()))) {
            assertTrue(new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(2, false))
                    .status(line -> { }, Cancellation.create()).allOk());
        }
    }

    @Test
    void aWrongOrMissingHostKeyIsRefusedBeforeAuthentication() {
        Site site = Site.parse(sandbox.siteYaml(sshd.user(), sshd.port(), sshd.wrongKnownHostsLine()), "sandbox-ssh");
        try (HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(10),
                options(sshd.clientKeyPem(), null, site.knownHosts()))) {
            FleetStatus status = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(2, true))
                    .status(line -> { }, Cancellation.create());
            for (ProxyStatus proxy : status.proxies()) {
                assertFalse(proxy.ok());
                assertTrue(proxy.error().contains("does not match known_hosts"), proxy.error());
            }
        }
        String otherHost = "[127.0.0.2]:" + sshd.port() + " " + sshd.hostPublicKey();
        Site unknown = Site.parse(sandbox.siteYaml(sshd.user(), sshd.port(), otherHost), "sandbox-ssh");
        try (HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(10),
                options(sshd.clientKeyPem(), null, unknown.knownHosts()))) {
            FleetStatus status = new HaproxyFleet(unknown.proxies(List.of()), connector, new FleetOptions(2, true))
                    .status(line -> { }, Cancellation.create());
            assertTrue(status.proxies().get(0).error().contains("no known_hosts entry for [127.0.0.1]:" + sshd.port()),
                    status.proxies().get(0).error());
        }
    }

    @Test
    void aWrongPassphraseOrGarbageKeyFailsWithoutShowingTheKey() {
        Site site = Site.parse(sandbox.siteYaml(sshd), "sandbox-ssh");
        for (SshOptions bad : List.of(options(sshd.protectedClientKeyPem(), "wrong-passphrase", site.knownHosts()),
                options("-----BEGIN OPENSSH PRIVATE KEY-----\nSECRETGARBAGE\n-----END OPENSSH PRIVATE KEY-----\n", null, site.knownHosts()))) {
            try (HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(10), bad)) {
                FleetStatus status = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(2, true))
                        .status(line -> { }, Cancellation.create());
                String error = status.proxies().get(0).error();
                assertTrue(error.contains("private key could not be read"), error);
                assertFalse(error.contains("SECRETGARBAGE") || error.contains("wrong-passphrase"), error);
            }
        }
    }

    @Test
    void sshProxiesWithoutCredentialsAreAnInputError() {
        Site site = Site.parse(sandbox.siteYaml(sshd), "sandbox-ssh");
        try (HaproxyConnector connector = new HaproxyConnector(Duration.ofSeconds(10), null)) {
            FleetStatus status = new HaproxyFleet(site.proxies(List.of()), connector, new FleetOptions(2, true))
                    .status(line -> { }, Cancellation.create());
            assertTrue(status.proxies().get(0).error().startsWith("credentialsId: is required"), status.proxies().get(0).error());
        }
    }

    private static void assertNoKeyMaterial(String text) {
        for (String line : sshd.clientKeyPem().split("\n")) {
            if (line.length() > 20 && !line.startsWith("-----")) {
                assertFalse(text.contains(line), "key material leaked");
            }
        }
        assertFalse(text.contains(sshd.passphrase()), "passphrase leaked");
    }
}
