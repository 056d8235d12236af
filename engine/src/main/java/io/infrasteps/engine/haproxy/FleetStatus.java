package io.infrasteps.engine.haproxy;

import java.io.Serializable;
import java.util.List;

/** Status of every proxy asked, in the order they were given. */
public final class FleetStatus implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<ProxyStatus> proxies;

    public FleetStatus(List<ProxyStatus> proxies) {
        this.proxies = List.copyOf(proxies);
    }

    public List<ProxyStatus> proxies() {
        return proxies;
    }

    public boolean allOk() {
        return proxies.stream().allMatch(ProxyStatus::ok);
    }
}
