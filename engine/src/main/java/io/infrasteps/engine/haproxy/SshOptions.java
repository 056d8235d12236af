package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;

import java.util.Arrays;

/**
 * SSH authentication for ssh:// runtime API addresses: a private key (PEM/OpenSSH text, never
 * logged) and the known_hosts entries the server's host key must match. There is deliberately
 * no "accept any host key" option.
 */
public final class SshOptions {
    private final String username;
    private final char[] privateKey;
    private final char[] passphrase;
    private final String knownHosts;

    /**
     * @param username   overrides the user of the address, or null to use it
     * @param privateKey the private key text (copied; call {@link #wipe()} when done)
     * @param passphrase the key's passphrase, or null
     * @param knownHosts known_hosts lines; required
     */
    public SshOptions(String username, char[] privateKey, char[] passphrase, String knownHosts) {
        if (username != null) {
            Inputs.require("username", username, Inputs.USER);
        }
        if (privateKey == null || privateKey.length == 0) {
            throw new InvalidInputException("credentialsId", "has no private key", "an SSH private key credential");
        }
        if (knownHosts == null || knownHosts.isBlank()) {
            throw new InvalidInputException("knownHosts", "is required for ssh:// proxies (host keys are always verified)",
                    "known_hosts lines such as '[host]:22 ecdsa-sha2-nistp256 AAAA...' (ssh-keyscan prints them)");
        }
        this.username = username;
        this.privateKey = privateKey.clone();
        this.passphrase = passphrase == null ? null : passphrase.clone();
        this.knownHosts = knownHosts;
    }

    public String username() {
        return username;
    }

    char[] privateKey() {
        return privateKey;
    }

    char[] passphrase() {
        return passphrase;
    }

    public String knownHosts() {
        return knownHosts;
    }

    /** Overwrites the key material held here. */
    public void wipe() {
        Arrays.fill(privateKey, '\0');
        if (passphrase != null) {
            Arrays.fill(passphrase, '\0');
        }
    }

    @Override
    public String toString() {
        return "SshOptions[username=" + username + ", privateKey=****, knownHosts=" + knownHosts.lines().count() + " lines]";
    }
}
