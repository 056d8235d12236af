package io.infrasteps.plugin.haproxy;

import com.cloudbees.jenkins.plugins.sshcredentials.SSHUserPrivateKey;
import hudson.util.Secret;
import java.util.List;

/** An "SSH Username with private key" credential without Jenkins (no passphrase: Secret needs Jenkins). */
public final class FakeSshKey implements SSHUserPrivateKey {
    private static final long serialVersionUID = 1L;

    private final String id;
    private final String username;
    private final transient String pem;

    public FakeSshKey(String id, String username, String pem) {
        this.id = id;
        this.username = username;
        this.pem = pem;
    }

    @Override
    public List<String> getPrivateKeys() {
        return pem == null ? List.of() : List.of(pem);
    }

    @Override
    public Secret getPassphrase() {
        return null;
    }

    @Override
    public String getUsername() {
        return username;
    }

    @Override
    public String getId() {
        return id;
    }
}
