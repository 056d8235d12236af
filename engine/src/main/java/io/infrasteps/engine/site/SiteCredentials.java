package io.infrasteps.engine.site;

import java.io.Serializable;

/** Jenkins credential ids a site needs (ids only; the secrets stay in the credential store). */
public final class SiteCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String ssh;
    private final String consulToken;
    private final String nomadToken;

    SiteCredentials(String ssh, String consulToken, String nomadToken) {
        this.ssh = ssh;
        this.consulToken = consulToken;
        this.nomadToken = nomadToken;
    }

    /** SSH private key credential for ssh:// runtime API addresses, or null. */
    public String ssh() {
        return ssh;
    }

    /** Secret text credential with the Consul ACL token, or null. */
    public String consulToken() {
        return consulToken;
    }

    /** Secret text credential with the Nomad ACL token, or null. */
    public String nomadToken() {
        return nomadToken;
    }
}
