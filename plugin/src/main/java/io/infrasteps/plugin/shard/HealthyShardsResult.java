package io.infrasteps.plugin.shard;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jenkinsci.plugins.scriptsecurity.sandbox.whitelists.Whitelisted;

/**
 * What {@code waitHealthyShards} returns once every shard is healthy: the shard names waited for (those given, or
 * those of the release as registered in Consul when the wait began).
 * <pre>
 * def healthy = waitHealthyShards site: 'stage', release: 42
 * validateShard site: 'stage', shards: healthy.shards
 * </pre>
 */
public final class HealthyShardsResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> shards;

    HealthyShardsResult(List<String> shards) {
        this.shards = new ArrayList<>(shards);
    }

    /** The shard names, in the order given (or sorted by region and number for a release). */
    @Whitelisted
    public List<String> getShards() {
        return Collections.unmodifiableList(shards);
    }

    @Override
    public String toString() {
        return "HealthyShardsResult" + shards;
    }
}
