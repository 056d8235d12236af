package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Cancellation;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * Runtime API through SSH: one authenticated session per proxy and operation, one exec channel
 * per command running {@code socat} against the admin socket on that host. The remote command
 * is built only from the validated socket path.
 */
final class SshTransport implements RuntimeApiSession {
    private final ProxyEndpoint endpoint;
    private final Duration timeout;
    private final Cancellation cancellation;
    private final ClientSession session;
    private final AutoCloseable cancelHook;

    SshTransport(SshClient client, ProxyEndpoint endpoint, SshOptions ssh, Duration timeout, Cancellation cancellation) {
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.cancellation = cancellation;
        RuntimeApiAddress address = endpoint.address();
        String user = ssh.username() != null ? ssh.username() : address.user();
        KnownHostsVerifier verifier = new KnownHostsVerifier(ssh.knownHosts(), address.host(), address.port());
        ClientSession opened = null;
        try {
            opened = client.connect(user, address.host(), address.port()).verify(timeout).getSession();
            opened.setServerKeyVerifier(verifier);
            for (KeyPair pair : loadKey(ssh)) {
                opened.addPublicKeyIdentity(pair);
            }
            opened.auth().verify(timeout);
        } catch (Exception e) {
            closeQuietly(opened);
            String why = verifier.rejection() != null ? verifier.rejection() : SocketTransport.describe(e);
            throw new RuntimeApiException(endpoint.label() + ": SSH connection as " + user + " failed: " + why, null);
        }
        this.session = opened;
        ClientSession toClose = opened;
        this.cancelHook = cancellation.onCancel(() -> closeQuietly(toClose));
    }

    private static Iterable<KeyPair> loadKey(SshOptions ssh) throws Exception {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(ssh.privateKey()));
        byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
        Arrays.fill(encoded.array(), (byte) 0);
        try {
            FilePasswordProvider passwords = ssh.passphrase() == null
                    ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(new String(ssh.passphrase()));
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName("credential"),
                    new ByteArrayInputStream(bytes), passwords);
            if (pairs == null || !pairs.iterator().hasNext()) {
                throw new IllegalStateException("the credential holds no readable private key");
            }
            return pairs;
        } catch (Exception e) {
            // The parser's message may quote key material; replace it with a fixed one.
            throw new IllegalStateException("the private key could not be read (wrong format or passphrase)");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String execute(RuntimeCommand command) {
        cancellation.throwIfCancelled();
        String remote = "socat -t 2 - UNIX-CONNECT:" + endpoint.address().path();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(remote)) {
            channel.setIn(new ByteArrayInputStream((command.text() + "\n").getBytes(StandardCharsets.US_ASCII)));
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(timeout);
            Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), timeout);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new RuntimeApiException(endpoint.label() + ": '" + command + "' timed out after " + timeout.toMillis() + " ms");
            }
            Integer status = channel.getExitStatus();
            if (status != null && status != 0) {
                String stderr = err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
                if (stderr.length() > 200) {
                    stderr = stderr.substring(0, 200) + "...";
                }
                throw new RuntimeApiException(endpoint.label() + ": '" + command + "' failed: socat exited with "
                        + status + (stderr.isEmpty() ? "" : ": " + stderr)
                        + (status == 127 ? " (install socat on the proxy host)" : ""));
            }
            return out.toString(StandardCharsets.UTF_8);
        } catch (RuntimeApiException e) {
            throw e;
        } catch (Exception e) {
            cancellation.throwIfCancelled();
            throw new RuntimeApiException(endpoint.label() + ": '" + command + "' failed over SSH: " + SocketTransport.describe(e), e);
        }
    }

    @Override
    public void close() {
        try {
            cancelHook.close();
        } catch (Exception ignored) {
            // unregistering a callback cannot meaningfully fail
        }
        closeQuietly(session);
    }

    private static void closeQuietly(ClientSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (Exception ignored) {
                // best effort: the session is being discarded
            }
        }
    }
}
