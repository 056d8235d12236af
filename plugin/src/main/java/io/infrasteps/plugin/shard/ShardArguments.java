package io.infrasteps.plugin.shard;

import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.shard.ShardName;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.StepArguments;
import java.util.ArrayList;
import java.util.List;

/** Validation of shard arguments, in two stages: the form when set, the site's shard names once the site is known. */
final class ShardArguments {

    /** Largest release number (as Consul service meta release_number carries it). */
    static final int MAX_RELEASE = 999_999_999;

    private ShardArguments() {
    }

    /** A list of shard names of a valid form (each named {@code shards[i]} in errors), or null when empty. */
    static List<String> shards(List<?> values) {
        return StepArguments.list("shards", values, (field, value) -> Inputs.require(field, value, Inputs.HAPROXY_NAME));
    }

    static Integer release(Integer release) {
        return release == null ? null : Inputs.range("release", release, 1, MAX_RELEASE);
    }

    /** Each name as a shard of {@code site}: {@code <shardBase>-<region>-s<N>} with a region of the site. */
    static List<ShardName> parse(List<String> names, Site site) {
        List<ShardName> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            out.add(ShardName.parse("shards[" + i + "]", names.get(i), site));
        }
        return out;
    }

    static InvalidInputException shardsOrRelease(boolean both) {
        return new InvalidInputException(both ? "shards, release" : "shards", both ? "are given together" : "is required",
                "either shards (a list of shard names) or release (a release number whose shards are registered in Consul)");
    }
}
