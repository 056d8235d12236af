package io.infrasteps.plugin.common;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import io.infrasteps.engine.haproxy.SshOptions;
import java.util.List;

/**
 * Finds the "SSH Username with private key" credential a step names and turns it into engine {@link SshOptions}.
 * The key and passphrase only ever live in local variables and the returned options (wiped by the caller); they
 * never enter a message, a log line or a field of a step or execution.
 */
public final class SshKeyCredentials {

    public static final String EXPECTED = "an 'SSH Username with private key' credential (SSHUserPrivateKey, from the ssh-credentials plugin)";

    private SshKeyCredentials() {
    }

    /** Looks the credential up as the build sees it, checks its type, and records its use on the build. */
    public static SSHUserPrivateKey find(Run<?, ?> run, String field, String credentialsId) throws AbortException {
        IdCredentials found = CredentialsProvider.findCredentialById(credentialsId, IdCredentials.class, run);
        SSHUserPrivateKey key = check(found, field, credentialsId);
        CredentialsProvider.track(run, key);
        return key;
    }

    /** The credential as an SSH key, or an error naming the argument, the id and the expected type. */
    public static SSHUserPrivateKey check(IdCredentials found, String field, String credentialsId) throws AbortException {
        if (found == null) {
            throw new AbortException(field + ": no credential with id '" + credentialsId
                    + "' is available to this build; allowed: the id of " + EXPECTED);
        }
        if (!(found instanceof SSHUserPrivateKey)) {
            throw new AbortException(field + ": credential '" + credentialsId + "' is a " + found.getClass().getSimpleName()
                    + "; allowed: the id of " + EXPECTED);
        }
        return (SSHUserPrivateKey) found;
    }

    /**
     * The engine's SSH options for this key. The ssh:// address names the user; the credential supplies the key.
     */
    public static SshOptions toOptions(SSHUserPrivateKey key, String field, String credentialsId, String knownHosts)
            throws AbortException {
        List<String> keys = key.getPrivateKeys();
        String pem = keys == null ? null : keys.stream().filter(k -> k != null && !k.isBlank()).findFirst().orElse(null);
        if (pem == null) {
            throw new AbortException(field + ": credential '" + credentialsId + "' holds no private key; allowed: the id of " + EXPECTED);
        }
        return options(pem, Secret.toString(key.getPassphrase()), knownHosts);
    }

    /** SSH options from key text and passphrase (empty for none). */
    public static SshOptions options(String privateKey, String passphrase, String knownHosts) {
        char[] keyChars = privateKey.toCharArray();
        char[] passChars = passphrase == null || passphrase.isEmpty() ? null : passphrase.toCharArray();
        try {
            return new SshOptions(null, keyChars, passChars, knownHosts);
        } finally {
            java.util.Arrays.fill(keyChars, '\0');
            if (passChars != null) {
                java.util.Arrays.fill(passChars, '\0');
            }
        }
    }
}
