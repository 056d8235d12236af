package io.infrasteps.engine.shard;

import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;
import io.infrasteps.engine.site.Site;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A shard's name, {@code <shardBase>-<region>-s<N>}, with its parts kept as typed fields. The
 * region is matched against the site's regions rather than guessed by splitting on '-', since
 * both the base and the region contain dashes.
 */
public final class ShardName implements Serializable, Comparable<ShardName> {
    private static final long serialVersionUID = 1L;
    public static final int MAX_NUMBER = 9999;

    private final String base;
    private final String region;
    private final int number;

    public ShardName(String base, String region, int number) {
        this.base = Inputs.require("shardBase", base, Inputs.DNS_LABEL);
        this.region = Inputs.require("region", region, Inputs.DNS_LABEL);
        this.number = Inputs.range("shard number", number, 1, MAX_NUMBER);
    }

    /** Parses a shard name of {@code site}; the error names {@code field} and the site's form. */
    public static ShardName parse(String field, String name, Site site) {
        String form = site.shardBase() + "-<region>-s<N> with <region> one of " + site.regionNames() + " and N from 1 to " + MAX_NUMBER;
        Inputs.require(field, name, Inputs.HAPROXY_NAME);
        String prefix = site.shardBase() + "-";
        if (!name.startsWith(prefix)) {
            throw new InvalidInputException(field, "is not a shard of environment " + site.name(), form);
        }
        String rest = name.substring(prefix.length());
        for (String region : site.regionNames()) {
            String regionPrefix = region + "-s";
            if (rest.startsWith(regionPrefix)) {
                String digits = rest.substring(regionPrefix.length());
                if (digits.matches("[1-9][0-9]{0,3}")) {
                    return new ShardName(site.shardBase(), region, Integer.parseInt(digits));
                }
            }
        }
        throw new InvalidInputException(field, "does not name a region of the site and a shard number", form);
    }

    /** The lowest {@code count} numbers not used by any shard of the environment, in any region. */
    public static List<Integer> nextFreeNumbers(Collection<ShardName> existing, int count) {
        Inputs.range("count", count, 1, MAX_NUMBER);
        TreeSet<Integer> used = new TreeSet<>();
        existing.forEach(s -> used.add(s.number()));
        List<Integer> free = new ArrayList<>();
        for (int n = 1; free.size() < count; n++) {
            if (n > MAX_NUMBER) {
                throw new InvalidInputException("count", "needs more shard numbers than are free", "at most " + (MAX_NUMBER - used.size()));
            }
            if (!used.contains(n)) {
                free.add(n);
            }
        }
        return free;
    }

    public String base() {
        return base;
    }

    public String region() {
        return region;
    }

    public int number() {
        return number;
    }

    @Override
    public String toString() {
        return base + "-" + region + "-s" + number;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ShardName && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }

    @Override
    public int compareTo(ShardName other) {
        int byRegion = region.compareTo(other.region);
        return byRegion != 0 ? byRegion : Integer.compare(number, other.number);
    }
}
