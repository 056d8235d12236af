package io.infrasteps.engine.haproxy;

import java.io.Serializable;
import java.util.List;

/** What a change did on one proxy. */
public final class ProxyOutcome implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Result {
        /** Changed and read back as asked. */
        CHANGED,
        /** Already as asked; nothing sent. */
        UNCHANGED,
        /** Could not be changed or verified; see the message. */
        FAILED,
        /** Not attempted: a safety check refused the whole change. */
        REFUSED
    }

    private final ProxyEndpoint proxy;
    private final Result result;
    private final String message;
    private final List<String> details;

    public ProxyOutcome(ProxyEndpoint proxy, Result result, String message, List<String> details) {
        this.proxy = proxy;
        this.result = result;
        this.message = message;
        this.details = List.copyOf(details);
    }

    public ProxyEndpoint proxy() {
        return proxy;
    }

    public Result result() {
        return result;
    }

    public boolean succeeded() {
        return result == Result.CHANGED || result == Result.UNCHANGED;
    }

    public String message() {
        return message;
    }

    /** One line per server or map entry touched, e.g. "release-1/shard-s1: ready -> drain". */
    public List<String> details() {
        return details;
    }

    /** The console line for this proxy. */
    public String line() {
        // Failures carry the address too, so the reader knows which host to look at.
        return "[" + (succeeded() ? proxy.shortLabel() : proxy.label()) + "] " + result.name().toLowerCase(java.util.Locale.ROOT) + ": " + message;
    }
}
