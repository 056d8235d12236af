package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import org.apache.sshd.client.SshClient;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Opens runtime API sessions to proxies over the transport their address names. Holds the
 * shared SSH client and timeout watchdog; close it when the operation is over.
 */
public final class HaproxyConnector implements AutoCloseable {
    private final Duration timeout;
    private final SshOptions ssh;
    private final ScheduledExecutorService watchdog;
    private SshClient sshClient;
    private volatile CommandTimer timer = CommandTimer.NONE;

    /** Observes how long each runtime API command took (for benchmarks and metrics). */
    @FunctionalInterface
    public interface CommandTimer {
        CommandTimer NONE = (proxy, command, nanos) -> { };

        void record(ProxyEndpoint proxy, RuntimeCommand command, long nanos);
    }

    /**
     * @param timeout per-command timeout (also bounds SSH connect and authentication)
     * @param ssh     SSH authentication, or null when no ssh:// address is used
     */
    public HaproxyConnector(Duration timeout, SshOptions ssh) {
        this.timeout = timeout;
        this.ssh = ssh;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "infra-steps-runtime-api-watchdog");
            t.setDaemon(true);
            return t;
        });
    }

    public void setCommandTimer(CommandTimer timer) {
        this.timer = timer == null ? CommandTimer.NONE : timer;
    }

    public RuntimeApiSession open(ProxyEndpoint endpoint, Cancellation cancellation) {
        RuntimeApiSession session;
        if (endpoint.address().kind() != RuntimeApiAddress.Kind.SSH) {
            session = new SocketTransport(endpoint, timeout, watchdog, cancellation);
        } else if (ssh == null) {
            throw new InvalidInputException("credentialsId", "is required for ssh:// proxy " + endpoint.label(),
                    "the id of an SSH private key credential");
        } else {
            session = new SshTransport(sshClient(), endpoint, ssh, timeout, cancellation);
        }
        CommandTimer observer = timer;
        if (observer == CommandTimer.NONE) {
            return session;
        }
        return new RuntimeApiSession() {
            @Override
            public String execute(RuntimeCommand command) {
                long start = System.nanoTime();
                try {
                    return session.execute(command);
                } finally {
                    observer.record(endpoint, command, System.nanoTime() - start);
                }
            }

            @Override
            public void close() {
                session.close();
            }
        };
    }

    private synchronized SshClient sshClient() {
        if (sshClient == null) {
            sshClient = SshClient.setUpDefaultClient();
            // Host keys are checked per session against the given known_hosts; never from ~/.ssh.
            sshClient.setServerKeyVerifier((session, address, key) -> false);
            // Nothing from the agent's ~/.ssh (config, default identities) leaks into a build.
            sshClient.setHostConfigEntryResolver(org.apache.sshd.client.config.hosts.HostConfigEntryResolver.EMPTY);
            sshClient.setKeyIdentityProvider(org.apache.sshd.common.keyprovider.KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            sshClient.start();
        }
        return sshClient;
    }

    @Override
    public synchronized void close() {
        watchdog.shutdownNow();
        if (sshClient != null) {
            sshClient.stop();
        }
    }
}
