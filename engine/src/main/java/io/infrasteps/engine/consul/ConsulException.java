package io.infrasteps.engine.consul;

/** A Consul request that failed after retries; the message names the datacenter, endpoint and key. */
public class ConsulException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ConsulException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The last HTTP status, or -1 when no answer came (connection error, timeout). */
    public int status() {
        return status;
    }
}
