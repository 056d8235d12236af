package io.infrasteps.sandbox;

import com.sun.security.auth.module.UnixSystem;
import io.infrasteps.sandbox.process.ChildProcess;
import io.infrasteps.sandbox.process.Commands;
import io.infrasteps.sandbox.process.LoopbackPorts;
import io.infrasteps.sandbox.process.Poll;
import io.infrasteps.sandbox.process.ProcessExitedException;
import io.infrasteps.sandbox.process.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The real OpenSSH server on a loopback ephemeral port with a private configuration and
 * throwaway keys: public-key login only, as the current user (root in CI). Tests reach the
 * HAProxy unix sockets through it exactly as the engine reaches production proxies.
 */
public final class LocalSshd implements AutoCloseable {
    public static final String INSTALL_HINT = "install openssh-server: apt-get install -y openssh-server";
    public static final String HOST = "127.0.0.1";
    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    /** sshd's privilege separation directory; Debian's package creates it only when the service starts. */
    private static final Path PRIVSEP_DIR = Path.of("/run/sshd");
    private static final int LAUNCH_ATTEMPTS = 3;
    private static final Duration READINESS_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration KEYGEN_TIMEOUT = Duration.ofSeconds(30);

    private final TempDir dir;
    private final String user;
    private final String passphrase;
    private final String hostPublicKey;
    private final String wrongHostPublicKey;
    private int port;
    private ChildProcess process;

    private LocalSshd(TempDir dir, String user, String passphrase, String hostPublicKey, String wrongHostPublicKey) {
        this.dir = dir;
        this.user = user;
        this.passphrase = passphrase;
        this.hostPublicKey = hostPublicKey;
        this.wrongHostPublicKey = wrongHostPublicKey;
    }

    /** Generates keys, starts sshd and returns once it sends its SSH-2.0 banner. */
    public static LocalSshd start() {
        requireExecutable(SSHD, INSTALL_HINT);
        requireExecutable(SSH_KEYGEN, "install openssh-client: apt-get install -y openssh-client");
        long uid = new UnixSystem().getUid();
        if (uid != 0) {
            throw new IllegalStateException("LocalSshd must run as root (sshd switches to the logged-in user and needs "
                    + PRIVSEP_DIR + "); current uid is " + uid);
        }
        TempDir dir = TempDir.create("sandbox-sshd-");
        try {
            Files.createDirectories(PRIVSEP_DIR);
            Path d = dir.path();
            keygen(d.resolve("host_key"), "", false);
            keygen(d.resolve("wrong_host_key"), "", false);
            keygen(d.resolve("client_key"), "", true);
            byte[] secret = new byte[12];
            new SecureRandom().nextBytes(secret);
            String passphrase = HexFormat.of().formatHex(secret);
            keygen(d.resolve("client_key_protected"), passphrase, true);
            Files.writeString(d.resolve("authorized_keys"),
                    Files.readString(d.resolve("client_key.pub")) + Files.readString(d.resolve("client_key_protected.pub")));
            LocalSshd sshd = new LocalSshd(dir, System.getProperty("user.name"), passphrase,
                    publicKey(d.resolve("host_key.pub")), publicKey(d.resolve("wrong_host_key.pub")));
            sshd.launch();
            return sshd;
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException("cannot prepare sshd in " + dir.path(), e);
        } catch (RuntimeException e) {
            dir.close();
            throw e;
        }
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    /** The user logins are accepted for: the one running the tests. */
    public String user() {
        return user;
    }

    /** Unencrypted client private key (PEM, {@code BEGIN EC PRIVATE KEY}) authorized to log in. */
    public String clientKeyPem() {
        return read(clientKeyFile());
    }

    /** The same key as a file with mode 600, as the {@code ssh} client requires. */
    public Path clientKeyFile() {
        return dir.path().resolve("client_key");
    }

    /** A second authorized client key, PEM encrypted with {@link #passphrase()}. */
    public String protectedClientKeyPem() {
        return read(protectedClientKeyFile());
    }

    public Path protectedClientKeyFile() {
        return dir.path().resolve("client_key_protected");
    }

    public String passphrase() {
        return passphrase;
    }

    /** The host key as {@code <type> <base64>}. */
    public String hostPublicKey() {
        return hostPublicKey;
    }

    /** {@code [127.0.0.1]:<port> <host public key>}: the known_hosts line that trusts this server. */
    public String knownHostsLine() {
        return "[" + HOST + "]:" + port + " " + hostPublicKey;
    }

    /** A known_hosts line for this address with a different key, for host-key mismatch tests. */
    public String wrongKnownHostsLine() {
        return "[" + HOST + "]:" + port + " " + wrongHostPublicKey;
    }

    /** sshd's log ({@code -e}, LogLevel VERBOSE): logins, rejected keys, commands. */
    public Path logFile() {
        return dir.path().resolve("sshd.log");
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
        dir.close();
    }

    private void launch() throws IOException {
        Path d = dir.path();
        Path config = d.resolve("sshd_config");
        for (int attempt = 1; ; attempt++) {
            port = LoopbackPorts.pick();
            Files.writeString(config, String.join("\n",
                    "ListenAddress " + HOST + ":" + port,
                    "HostKey " + quoted(d.resolve("host_key")),
                    "AuthorizedKeysFile " + quoted(d.resolve("authorized_keys")),
                    "PasswordAuthentication no",
                    "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes",
                    "PermitRootLogin prohibit-password",
                    // The keys live in a temp dir, not a home directory with the modes sshd expects.
                    "StrictModes no",
                    "UsePAM no",
                    "PidFile " + quoted(d.resolve("sshd.pid")),
                    "LogLevel VERBOSE",
                    ""));
            Files.deleteIfExists(logFile());
            process = ChildProcess.start("sshd", List.of(SSHD.toString(), "-D", "-e", "-f", config.toString()), d, logFile());
            try {
                awaitBanner();
                return;
            } catch (RuntimeException e) {
                process.close();
                boolean portClash = e instanceof ProcessExitedException exited && exited.logTail().contains("Address already in use");
                if (!portClash || attempt == LAUNCH_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private void awaitBanner() {
        Poll.until("sshd on " + HOST + ":" + port, READINESS_TIMEOUT, () -> {
            process.requireAlive();
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(HOST, port), 1000);
                socket.setSoTimeout(1000);
                String banner = readLine(socket.getInputStream());
                return banner.startsWith("SSH-2.0") ? banner : null;
            }
        }, () -> "sshd log " + logFile() + ":\n" + process.logTail(40));
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c >= 0 && c != '\n' && line.length() < 256; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

    /** ssh-keygen writes {@code path} (mode 600) and {@code path.pub}; client keys in PEM for the engine's parsers. */
    private static void keygen(Path path, String passphrase, boolean pem) {
        List<String> command = new ArrayList<>(List.of(SSH_KEYGEN.toString(), "-q", "-t", "ecdsa", "-b", "256",
                "-C", "sandbox", "-N", passphrase, "-f", path.toString()));
        if (pem) {
            command.addAll(List.of("-m", "PEM"));
        }
        Commands.run(command, KEYGEN_TIMEOUT);
    }

    /** {@code <type> <base64>} from a .pub file, without its comment. */
    private static String publicKey(Path pub) throws IOException {
        String[] fields = Files.readString(pub).trim().split("\\s+");
        return fields[0] + " " + fields[1];
    }

    private static String quoted(Path path) {
        return "\"" + path + "\"";
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private static void requireExecutable(Path path, String hint) {
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(path + " not found; " + hint);
        }
    }
}
