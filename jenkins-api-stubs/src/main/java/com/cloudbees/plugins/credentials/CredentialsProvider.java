package com.cloudbees.plugins.credentials;

import com.cloudbees.plugins.credentials.common.IdCredentials;
import hudson.model.Run;
import hudson.security.Permission;

/** Stand-in for credentials' {@code CredentialsProvider}: only the static lookups the plugin uses. */
public abstract class CredentialsProvider {
    public static final Permission USE_ITEM = null;

    public CredentialsProvider() {
    }

    public static <C extends IdCredentials> C findCredentialById(String id, Class<C> type, Run<?, ?> run) {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }

    public static <C extends Credentials> C track(Run run, C credentials) {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }
}
