package io.infrasteps.engine.common;

/** Where operations report progress, one human-readable line at a time (a Jenkins console, a terminal). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = line -> { };

    void line(String text);
}
