package io.infrasteps.engine.site;

import java.io.Serializable;
import java.net.URI;

/**
 * Where the environment lives in Oracle Cloud (site key {@code oci}): the tenancy and the
 * compartment holding its shards, and optionally one endpoint that replaces every OCI service
 * endpoint (a private endpoint, or the sandbox). OCIDs are identifiers, not secrets.
 */
public final class OciSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String tenancy;
    private final String compartment;
    private final URI endpoint;

    OciSettings(String tenancy, String compartment, URI endpoint) {
        this.tenancy = tenancy;
        this.compartment = compartment;
        this.endpoint = endpoint;
    }

    /** Tenancy OCID. */
    public String tenancy() {
        return tenancy;
    }

    /** Compartment OCID of the environment's instances, images and alarms. */
    public String compartment() {
        return compartment;
    }

    /** Endpoint override for every OCI service, or null for the region's public endpoints. */
    public URI endpoint() {
        return endpoint;
    }
}
