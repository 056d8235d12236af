package io.infrasteps.engine.site;

import java.io.Serializable;

/** Jenkins credential ids a site needs (ids only; the secrets stay in the credential store). */
public final class SiteCredentials implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String ssh;
    private final String consulToken;
    private final String nomadToken;
    private final String oci;
    private final String terraformState;

    SiteCredentials(String ssh, String consulToken, String nomadToken, String oci, String terraformState) {
        this.ssh = ssh;
        this.consulToken = consulToken;
        this.nomadToken = nomadToken;
        this.oci = oci;
        this.terraformState = terraformState;
    }

    /** OCI API key credential (the plugin's OCI API key type), or null. */
    public String oci() {
        return oci;
    }

    /** Username/password credential with the state bucket's access key id and secret key, or null. */
    public String terraformState() {
        return terraformState;
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
