package io.infrasteps.engine.haproxy;

import java.io.Serializable;
import java.util.List;

/** What one proxy reported, or why it could not be read. */
public final class ProxyStatus implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ProxyEndpoint proxy;
    private final List<ServerRow> servers;
    private final String error;

    private ProxyStatus(ProxyEndpoint proxy, List<ServerRow> servers, String error) {
        this.proxy = proxy;
        this.servers = servers;
        this.error = error;
    }

    public static ProxyStatus ok(ProxyEndpoint proxy, List<ServerRow> servers) {
        return new ProxyStatus(proxy, List.copyOf(servers), null);
    }

    public static ProxyStatus failed(ProxyEndpoint proxy, String error) {
        return new ProxyStatus(proxy, List.of(), error);
    }

    public ProxyEndpoint proxy() {
        return proxy;
    }

    public boolean ok() {
        return error == null;
    }

    /** Why the proxy could not be read, or null. */
    public String error() {
        return error;
    }

    public List<ServerRow> servers() {
        return servers;
    }
}
