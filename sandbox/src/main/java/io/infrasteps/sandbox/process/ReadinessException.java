package io.infrasteps.sandbox.process;

/** A sandbox component did not become ready; the message carries what was last seen and the log tail. */
public class ReadinessException extends RuntimeException {
    public ReadinessException(String message) {
        super(message);
    }

    public ReadinessException(String message, Throwable cause) {
        super(message, cause);
    }
}
