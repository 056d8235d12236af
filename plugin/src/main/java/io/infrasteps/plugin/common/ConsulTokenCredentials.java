package io.infrasteps.plugin.common;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.AbortException;
import hudson.model.Run;
import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * Finds the "Secret text" credential holding a site's Consul ACL token ({@code credentials.consulToken} in the
 * site YAML) and hands the token to the engine as characters. The token only ever lives in local variables and
 * the engine's Consul clients (which send it as the {@code X-Consul-Token} header and wipe it on close); it never
 * enters a message, a log line or a field of a step, execution or result.
 */
public final class ConsulTokenCredentials {

    public static final String EXPECTED = "a 'Secret text' credential (StringCredentials, from the plain-credentials plugin) "
            + "holding the Consul ACL token";

    private ConsulTokenCredentials() {
    }

    /** Looks the credential up as the build sees it, checks its type, and records its use on the build. */
    public static StringCredentials find(Run<?, ?> run, String field, String credentialsId) throws AbortException {
        IdCredentials found = CredentialsProvider.findCredentialById(credentialsId, IdCredentials.class, run);
        StringCredentials token = check(found, field, credentialsId);
        CredentialsProvider.track(run, token);
        return token;
    }

    /** The credential as secret text, or an error naming the field, the id and the expected type. */
    public static StringCredentials check(IdCredentials found, String field, String credentialsId) throws AbortException {
        if (found == null) {
            throw new AbortException(field + ": no credential with id '" + credentialsId
                    + "' is available to this build; allowed: the id of " + EXPECTED);
        }
        if (!(found instanceof StringCredentials)) {
            throw new AbortException(field + ": credential '" + credentialsId + "' is a " + found.getClass().getSimpleName()
                    + "; allowed: the id of " + EXPECTED);
        }
        return (StringCredentials) found;
    }

    /** The token's characters (the caller wipes them); an empty secret is an error naming the credential. */
    public static char[] token(StringCredentials credential, String field, String credentialsId) throws AbortException {
        String plain = Secret.toString(credential.getSecret());
        if (plain.isBlank()) {
            throw new AbortException(field + ": credential '" + credentialsId + "' holds an empty secret; allowed: the id of "
                    + EXPECTED);
        }
        return plain.strip().toCharArray();
    }
}
