package io.infrasteps.engine.haproxy;

/** A runtime API failure on one proxy: names the proxy and the command (never a credential). */
public class RuntimeApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RuntimeApiException(String message) {
        super(message);
    }

    public RuntimeApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
