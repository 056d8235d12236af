package io.infrasteps.plugin.shard;

import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.shard.ShardName;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.StepArguments;
import java.util.ArrayList;
import java.util.List;

/**
 * The rules of shard arguments, in two stages: the form when the step starts ({@link #SHARDS}, {@link #RELEASE}), the
 * site's shard names once the site is known ({@link #parse}).
 */
final class ShardArguments {

    /** Largest release number (as Consul service meta release_number carries it). */
    static final int MAX_RELEASE = 999_999_999;

    /** A list of shard names of a valid form (each named {@code shards[i]} in errors), or null when empty. */
    static final StepArguments.Rule<List<String>> SHARDS =
            StepArguments.list((field, value) -> Inputs.require(field, value, Inputs.HAPROXY_NAME));

    /** A release number. */
    static final StepArguments.Rule<Integer> RELEASE = StepArguments.integer(1, MAX_RELEASE);

    private ShardArguments() {
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
