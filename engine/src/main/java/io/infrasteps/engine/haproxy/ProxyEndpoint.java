package io.infrasteps.engine.haproxy;

import io.infrasteps.engine.common.Inputs;

import java.io.Serializable;

/**
 * One HAProxy instance: its name, its region and where its runtime API listens, plus the
 * map files it uses for the live release and the health switch (null when not configured).
 */
public final class ProxyEndpoint implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String region;
    private final RuntimeApiAddress address;
    private final String liveMap;
    private final String upMap;

    public ProxyEndpoint(String name, String region, RuntimeApiAddress address, String liveMap, String upMap) {
        this.name = name;
        this.region = region;
        this.address = address;
        this.liveMap = liveMap;
        this.upMap = upMap;
    }

    /** A proxy given directly by address (no site): named by its address, region unknown. */
    public static ProxyEndpoint explicit(String field, String uri) {
        RuntimeApiAddress address = RuntimeApiAddress.parse(field, uri);
        return new ProxyEndpoint(address.toString(), "-", address, null, null);
    }

    /** The same proxy with map paths set (used when maps are given explicitly to a step). */
    public ProxyEndpoint withMaps(String liveMap, String upMap) {
        return new ProxyEndpoint(name, region, address,
                liveMap == null ? this.liveMap : Inputs.absolutePath("liveMap", liveMap),
                upMap == null ? this.upMap : Inputs.absolutePath("upMap", upMap));
    }

    public String name() {
        return name;
    }

    public String region() {
        return region;
    }

    public RuntimeApiAddress address() {
        return address;
    }

    public String liveMap() {
        return liveMap;
    }

    public String upMap() {
        return upMap;
    }

    /** How success lines name this proxy: region and name (the address when it has no name of its own). */
    public String shortLabel() {
        return ("-".equals(region) ? "" : region + "/") + name;
    }

    /** How errors name this proxy: region, name and address. */
    public String label() {
        return ("-".equals(region) ? "" : region + "/") + (name.equals(address.toString()) ? name : name + " (" + address + ")");
    }

    @Override
    public String toString() {
        return label();
    }
}
