package io.infrasteps.plugin.haproxy;

import hudson.util.Secret;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/** A "Secret text" credential without Jenkins; the secret is not serialized. */
public final class FakeSecretText implements StringCredentials {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final transient String secret;

    public FakeSecretText(String id, String secret) {
        this.id = id;
        this.secret = secret;
    }

    @Override
    public Secret getSecret() {
        return Secret.fromString(secret);
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String toString() {
        return "FakeSecretText[" + id + "]";
    }
}
