package io.infrasteps.engine.haproxy;

/** A change that did not succeed on every proxy; carries the per-proxy result. */
public class FleetOperationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final FleetChange change;

    public FleetOperationException(FleetChange change) {
        super(change.summary());
        this.change = change;
    }

    public FleetChange change() {
        return change;
    }
}
