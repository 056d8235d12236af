package io.infrasteps.engine.haproxy;

/**
 * A conversation with one proxy for the duration of an operation. TCP and unix transports open
 * one connection per command (HAProxy's non-interactive mode); SSH keeps its session open and
 * runs socat per command, so the expensive handshake happens once per proxy per operation.
 */
public interface RuntimeApiSession extends AutoCloseable {
    /** Runs one command and returns HAProxy's reply; failures name the proxy and the command. */
    String execute(RuntimeCommand command);

    @Override
    void close();
}
