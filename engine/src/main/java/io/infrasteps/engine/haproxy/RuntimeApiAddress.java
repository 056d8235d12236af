package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.Inputs;

import java.io.Serializable;
import java.util.Objects;

/**
 * Where a proxy's runtime API listens: {@code tcp://host:port}, {@code unix:///path/admin.sock}
 * or {@code ssh://user@host[:port]/path/admin.sock} (socat is run on the host against the socket).
 * Parsed strictly, so every part that later reaches a socket or a remote command is validated.
 */
public final class RuntimeApiAddress implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind { TCP, UNIX, SSH }

    public static final String FORMS = "tcp://host:port, unix:///absolute/path or ssh://user@host[:port]/absolute/path";

    private final Kind kind;
    private final String user;
    private final String host;
    private final int port;
    private final String path;

    private RuntimeApiAddress(Kind kind, String user, String host, int port, String path) {
        this.kind = kind;
        this.user = user;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    public static RuntimeApiAddress parse(String field, String text) {
        if (text == null || text.isEmpty()) {
            throw new InvalidInputException(field, "is required", FORMS);
        }
        if (text.length() > 4200) {
            throw new InvalidInputException(field, "is " + text.length() + " characters long", FORMS);
        }
        if (text.startsWith("tcp://")) {
            String rest = text.substring("tcp://".length());
            int colon = rest.lastIndexOf(':');
            if (colon <= 0) {
                throw new InvalidInputException(field, "has no port", FORMS);
            }
            String host = Inputs.require(field + " host", rest.substring(0, colon), Inputs.HOST);
            int port = parsePort(field, rest.substring(colon + 1));
            return new RuntimeApiAddress(Kind.TCP, null, host, port, null);
        }
        if (text.startsWith("unix://")) {
            String path = Inputs.absolutePath(field + " path", text.substring("unix://".length()));
            return new RuntimeApiAddress(Kind.UNIX, null, null, 0, path);
        }
        if (text.startsWith("ssh://")) {
            String rest = text.substring("ssh://".length());
            int at = rest.indexOf('@');
            int slash = rest.indexOf('/');
            if (at <= 0 || slash < 0 || slash < at) {
                throw new InvalidInputException(field, "needs a user, a host and a socket path", FORMS);
            }
            String user = Inputs.require(field + " user", rest.substring(0, at), Inputs.USER);
            String hostPort = rest.substring(at + 1, slash);
            int port = 22;
            String host = hostPort;
            int colon = hostPort.lastIndexOf(':');
            if (colon >= 0) {
                host = hostPort.substring(0, colon);
                port = parsePort(field, hostPort.substring(colon + 1));
            }
            Inputs.require(field + " host", host, Inputs.HOST);
            String path = Inputs.absolutePath(field + " path", rest.substring(slash));
            return new RuntimeApiAddress(Kind.SSH, user, host, port, path);
        }
        throw new InvalidInputException(field, "has an unknown scheme (" + Inputs.describe(text) + ")", FORMS);
    }

    private static int parsePort(String field, String text) {
        if (!text.matches("[0-9]{1,5}")) {
            throw new InvalidInputException(field + " port", "is not a number", "an integer from 1 to 65535");
        }
        return Inputs.range(field + " port", Integer.parseInt(text), 1, 65535);
    }

    public Kind kind() {
        return kind;
    }

    /** SSH user, or null for TCP and unix addresses. */
    public String user() {
        return user;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    /** Socket path (unix and ssh), or null for TCP. */
    public String path() {
        return path;
    }

    /** The canonical address; holds no secret. */
    @Override
    public String toString() {
        switch (kind) {
            case TCP: return "tcp://" + host + ":" + port;
            case UNIX: return "unix://" + path;
            default: return "ssh://" + user + "@" + host + (port == 22 ? "" : ":" + port) + path;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RuntimeApiAddress && o.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toString());
    }
}
