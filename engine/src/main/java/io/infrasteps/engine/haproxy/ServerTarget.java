package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Inputs;

import java.io.Serializable;

/**
 * Which server a change applies to: a shard (the server named after the shard, in every backend
 * of every proxy that has it: the shard's own backend and its release backend), or one
 * backend/server pair.
 */
public final class ServerTarget implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String server;
    private final String backend;

    private ServerTarget(String server, String backend) {
        this.server = server;
        this.backend = backend;
    }

    public static ServerTarget shard(String shard) {
        return new ServerTarget(Inputs.require("shard", shard, Inputs.HAPROXY_NAME), null);
    }

    public static ServerTarget of(String backend, String server) {
        return new ServerTarget(Inputs.require("server", server, Inputs.HAPROXY_NAME),
                Inputs.require("backend", backend, Inputs.HAPROXY_NAME));
    }

    public String server() {
        return server;
    }

    /** The one backend, or null to mean every backend that has the server. */
    public String backend() {
        return backend;
    }

    public boolean matches(String rowBackend, String rowServer) {
        return server.equals(rowServer) && (backend == null || backend.equals(rowBackend));
    }

    @Override
    public String toString() {
        return backend == null ? "shard " + server : backend + "/" + server;
    }
}
