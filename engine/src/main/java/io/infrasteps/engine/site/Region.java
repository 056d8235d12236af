package io.infrasteps.engine.site;

import io.infrasteps.engine.haproxy.ProxyEndpoint;

import java.io.Serializable;
import java.net.URI;
import java.util.List;

/** One cloud region of an environment: its Consul/Nomad datacenter and its HAProxy instances. */
public final class Region implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String datacenter;
    private final URI consul;
    private final URI nomad;
    private final List<ProxyEndpoint> haproxy;

    Region(String name, String datacenter, URI consul, URI nomad, List<ProxyEndpoint> haproxy) {
        this.name = name;
        this.datacenter = datacenter;
        this.consul = consul;
        this.nomad = nomad;
        this.haproxy = List.copyOf(haproxy);
    }

    public String name() {
        return name;
    }

    /** Consul/Nomad datacenter, {@code <env>-<region>} unless configured. */
    public String datacenter() {
        return datacenter;
    }

    /** Consul HTTP API base URI, or null. */
    public URI consul() {
        return consul;
    }

    /** Nomad HTTP API base URI, or null. */
    public URI nomad() {
        return nomad;
    }

    public List<ProxyEndpoint> haproxy() {
        return haproxy;
    }
}
