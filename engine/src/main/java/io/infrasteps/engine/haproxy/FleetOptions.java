package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Inputs;

/**
 * How a fleet operation runs: how many proxies at once, and whether failed proxies fail the
 * operation (the default) or are only reported.
 */
public final class FleetOptions {
    private final int parallelism;
    private final boolean tolerateFailures;

    public FleetOptions(int parallelism, boolean tolerateFailures) {
        this.parallelism = Inputs.range("parallelism", parallelism, 1, 64);
        this.tolerateFailures = tolerateFailures;
    }

    public static FleetOptions defaults() {
        return new FleetOptions(8, false);
    }

    public int parallelism() {
        return parallelism;
    }

    public boolean tolerateFailures() {
        return tolerateFailures;
    }
}
