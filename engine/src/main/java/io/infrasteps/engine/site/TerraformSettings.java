package io.infrasteps.engine.site;

import java.io.Serializable;
import java.net.URI;

/**
 * How the environment runs Terraform/OpenTofu (site key {@code terraform}): the executable and
 * the S3-compatible state backend. State keys are derived per shard
 * ({@code <env>/shards/<shard>/terraform.tfstate}); access keys come from the
 * {@code credentials.terraformState} credential, never from the site.
 */
public final class TerraformSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String binary;
    private final String stateBucket;
    private final URI stateEndpoint;
    private final String stateRegion;

    TerraformSettings(String binary, String stateBucket, URI stateEndpoint, String stateRegion) {
        this.binary = binary;
        this.stateBucket = stateBucket;
        this.stateEndpoint = stateEndpoint;
        this.stateRegion = stateRegion;
    }

    /** {@code terraform}, {@code tofu}, or an absolute path to either. */
    public String binary() {
        return binary;
    }

    /** State bucket, {@code tf-state-<env>} unless configured. */
    public String stateBucket() {
        return stateBucket;
    }

    /** S3-compatible endpoint of the state bucket, or null (no remote state: local state per run). */
    public URI stateEndpoint() {
        return stateEndpoint;
    }

    /** Region name passed to the S3 backend ({@code us-east-1} unless configured). */
    public String stateRegion() {
        return stateRegion;
    }
}
