package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.InvalidInputException;

import java.util.Locale;

/** Administrative state of a server, as {@code set server <b>/<s> state} takes it. */
public enum ServerState {
    /** Takes new traffic. */
    READY,
    /** Keeps existing (sticky) sessions, takes no new ones. */
    DRAIN,
    /** Takes no traffic at all. */
    MAINT;

    public static final String ALLOWED = "ready, drain or maint";

    public static ServerState parse(String field, String text) {
        if (text != null) {
            for (ServerState state : values()) {
                if (state.keyword().equals(text)) {
                    return state;
                }
            }
        }
        throw new InvalidInputException(field, text == null || text.isEmpty() ? "is required" : "is not a server state", ALLOWED);
    }

    /** The runtime API keyword. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
