package io.infrasteps.plugin.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudbees.plugins.credentials.common.StandardUsernameCredentials;
import hudson.AbortException;
import io.infrasteps.engine.haproxy.SshOptions;
import io.infrasteps.plugin.common.SshKeyCredentials;
import io.infrasteps.sandbox.LocalSshd;
import io.infrasteps.sandbox.SandboxFleet;
import io.infrasteps.sandbox.SandboxProxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ssh:// proxies through a real OpenSSH server: the credential is resolved only when needed, its key reaches the
 * engine, and no key material ever appears in the console, an error, a result, displayed arguments or the
 * serialized execution.
 */
class SshSecretsTest {

    static SandboxFleet fleet;
    static LocalSshd sshd;
    static String sshYaml;
    static String keyPem;
    /** Distinctive pieces of the private key: every base64 line of its body. */
    static List<String> keyFragments;

    @BeforeAll
    static void start() {
        fleet = SandboxFleet.builder().regions("us-ashburn-1").shardsPerRegion(1).start();
        sshd = LocalSshd.start();
        sshYaml = fleet.siteYaml(sshd);
        keyPem = sshd.clientKeyPem();
        keyFragments = new ArrayList<>();
        for (String line : keyPem.split("\n")) {
            if (!line.startsWith("-----") && line.length() >= 16) {
                keyFragments.add(line.substring(0, 16));
            }
        }
        assertFalse(keyFragments.isEmpty());
    }

    @AfterAll
    static void stop() {
        if (sshd != null) {
            sshd.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }

    static void assertNoKeyMaterial(String what, String text) {
        for (String fragment : keyFragments) {
            assertFalse(text.contains(fragment), what + " contains private key material");
        }
        assertFalse(text.contains("PRIVATE KEY"), what + " mentions a PRIVATE KEY block");
        assertFalse(text.contains(sshd.passphrase()), what + " contains the passphrase");
    }

    static void assertNoKeyMaterial(String what, byte[] bytes) {
        assertNoKeyMaterial(what, new String(bytes, StandardCharsets.ISO_8859_1));
    }

    Seams seams() {
        return new Seams().site("sandbox", sshYaml)
                .credential(SandboxFleet.SSH_CREDENTIAL_ID, new FakeSshKey(SandboxFleet.SSH_CREDENTIAL_ID, "ignored-user", keyPem));
    }

    @Test
    void statusOverSshWithTheSitesCredentialLeavesNoSecretBehind() throws Exception {
        Seams seams = seams();
        FakeStepContext context = new FakeStepContext();
        HaproxyStatusStep step = new HaproxyStatusStep();
        step.setSite("sandbox");
        step.start(context);
        HaproxyStatusStep.Execution execution = seams.status(step, context);
        HaproxyStatusResult result = execution.run();

        assertTrue(result.isOk(), result.getUnreachable().toString());
        assertEquals(2, result.getServers().size());
        assertEquals(1, seams.lookups, "the credential is looked up once, inside the execution");
        SandboxProxy proxy = fleet.proxies().get(0);
        assertTrue(context.lines().contains("[us-ashburn-1/" + proxy.name() + "] 2 servers: 2 ready, 0 drain, 0 maint, 0 not running"),
                context.console());

        assertNoKeyMaterial("console", context.console());
        assertNoKeyMaterial("result", result.toString() + result.getProxies());
        assertNoKeyMaterial("serialized result", SerializationCheck.bytes(result));
        assertNoKeyMaterial("serialized execution", SerializationCheck.bytes(execution));
        assertNoKeyMaterial("displayed arguments", String.valueOf(new HaproxyStatusStep.DescriptorImpl()
                .argumentsToString(Map.of("site", "sandbox", "credentialsId", "x", "knownHosts", sshd.knownHostsLine()))));
    }

    @Test
    void setHaproxyOverSshWithExplicitArguments() throws Exception {
        Seams seams = seams();
        SandboxProxy proxy = fleet.proxies().get(0);
        String shard = fleet.shards().get(0).name();
        SetHaproxyStep step = new SetHaproxyStep();
        step.setProxies(List.of(proxy.sshAddress(sshd.user(), sshd.port())));
        step.setCredentialsId(SandboxFleet.SSH_CREDENTIAL_ID);
        step.setKnownHosts(sshd.knownHostsLine());
        step.setShard(shard);
        step.setState("drain");
        FakeStepContext context = new FakeStepContext();
        step.start(context);
        try {
            HaproxyChangeResult r = seams.set(step, context).run();
            assertEquals(1, r.getChangedCount());
            assertNoKeyMaterial("console", context.console());
        } finally {
            step.setState("ready");
            seams.set(step, new FakeStepContext()).run();
        }
    }

    @Test
    void sshProxiesNeedACredentialIdAndKnownHostsNamedInTheError() {
        SandboxProxy proxy = fleet.proxies().get(0);
        String address = proxy.sshAddress(sshd.user(), sshd.port());

        HaproxyStatusStep noCredential = new HaproxyStatusStep();
        noCredential.setProxies(List.of(address));
        noCredential.setKnownHosts(sshd.knownHostsLine());
        AbortException e = assertThrows(AbortException.class,
                () -> seams().status(noCredential, new FakeStepContext()).run());
        assertTrue(e.getMessage().startsWith("haproxyStatus: credentialsId: is required for ssh:// proxy " + address), e.getMessage());
        assertTrue(e.getMessage().contains("SSH Username with private key"), e.getMessage());

        HaproxyStatusStep noKnownHosts = new HaproxyStatusStep();
        noKnownHosts.setProxies(List.of(address));
        noKnownHosts.setCredentialsId(SandboxFleet.SSH_CREDENTIAL_ID);
        Seams s = seams();
        e = assertThrows(AbortException.class, () -> s.status(noKnownHosts, new FakeStepContext()).run());
        assertTrue(e.getMessage().startsWith("haproxyStatus: knownHosts: is required for ssh:// proxy"), e.getMessage());
        assertEquals(0, s.lookups, "no credential is read when the step cannot run anyway");
    }

    @Test
    void tcpProxiesNeverTouchCredentials() throws Exception {
        Seams s = seams();
        HaproxyStatusStep step = new HaproxyStatusStep();
        step.setProxies(List.of(fleet.proxies().get(0).tcpAddress()));
        step.setCredentialsId("unused-id");
        s.status(step, new FakeStepContext()).run();
        assertEquals(0, s.lookups);
    }

    @Test
    void aMissingOrWrongCredentialIsNamedWithTheExpectedType() {
        HaproxyStatusStep missing = new HaproxyStatusStep();
        missing.setSite("sandbox");
        missing.setCredentialsId("nope");
        AbortException e = assertThrows(AbortException.class, () -> seams().status(missing, new FakeStepContext()).run());
        assertEquals("haproxyStatus: credentialsId: no credential with id 'nope' is available to this build; allowed: the id of "
                + SshKeyCredentials.EXPECTED, e.getMessage());

        HaproxyStatusStep fromSite = new HaproxyStatusStep();
        fromSite.setSite("sandbox");
        Seams wrong = new Seams().site("sandbox", sshYaml).credential(SandboxFleet.SSH_CREDENTIAL_ID, new UsernamePassword());
        e = assertThrows(AbortException.class, () -> wrong.status(fromSite, new FakeStepContext()).run());
        assertTrue(e.getMessage().startsWith("haproxyStatus: credentials.ssh of site 'sandbox': credential 'sandbox-ssh-key' is a UsernamePassword;"
                + " allowed: the id of an 'SSH Username with private key' credential"), e.getMessage());

        Seams empty = new Seams().site("sandbox", sshYaml)
                .credential(SandboxFleet.SSH_CREDENTIAL_ID, new FakeSshKey(SandboxFleet.SSH_CREDENTIAL_ID, "u", null));
        e = assertThrows(AbortException.class, () -> empty.status(fromSite, new FakeStepContext()).run());
        assertTrue(e.getMessage().contains("holds no private key"), e.getMessage());
    }

    @Test
    void aWrongHostKeyIsRefusedAndNamed() {
        HaproxyStatusStep step = new HaproxyStatusStep();
        SandboxProxy proxy = fleet.proxies().get(0);
        step.setProxies(List.of(proxy.sshAddress(sshd.user(), sshd.port())));
        step.setCredentialsId(SandboxFleet.SSH_CREDENTIAL_ID);
        step.setKnownHosts(sshd.wrongKnownHostsLine());
        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class, () -> seams().status(step, context).run());
        assertTrue(e.getMessage().contains("does not match known_hosts"), e.getMessage());
        assertNoKeyMaterial("error", e.getMessage());
        assertNoKeyMaterial("console", context.console());
    }

    @Test
    void anUnreadableKeyFailsWithoutQuotingIt() {
        String garbage = "-----BEGIN OPENSSH PRIVATE KEY-----\nZZZZsecretMaterialThatMustNotLeakZZZZ\n-----END OPENSSH PRIVATE KEY-----\n";
        Seams s = new Seams().site("sandbox", sshYaml)
                .credential(SandboxFleet.SSH_CREDENTIAL_ID, new FakeSshKey(SandboxFleet.SSH_CREDENTIAL_ID, "u", garbage));
        HaproxyStatusStep step = new HaproxyStatusStep();
        step.setSite("sandbox");
        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class, () -> s.status(step, context).run());
        assertFalse(e.getMessage().contains("secretMaterial"), e.getMessage());
        assertFalse(context.console().contains("secretMaterial"), context.console());
        assertTrue(e.getMessage().startsWith("haproxyStatus: "), e.getMessage());
    }

    @Test
    void passphraseProtectedKeysBecomeEngineOptionsWithoutShowingThem() {
        SshOptions options = SshKeyCredentials.options(sshd.protectedClientKeyPem(), sshd.passphrase(), sshd.knownHostsLine());
        try {
            assertNoKeyMaterial("options", options.toString());
            assertFalse(options.toString().contains(sshd.passphrase()));
        } finally {
            options.wipe();
        }
    }

    /** A credential of the wrong kind. */
    static final class UsernamePassword implements StandardUsernameCredentials {
        private static final long serialVersionUID = 1L;

        @Override
        public String getId() {
            return SandboxFleet.SSH_CREDENTIAL_ID;
        }

        @Override
        public String getUsername() {
            return "u";
        }
    }
}
