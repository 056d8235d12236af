package io.infrasteps.engine.shard;

import io.infrasteps.engine.consul.ServiceInstance;

import java.io.Serializable;

/** A shard as Consul's {@code signal} service registration describes it. */
public final class ShardRecord implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShardName name;
    private final String datacenter;
    private final Integer release;
    private final ServiceInstance instance;

    public ShardRecord(ShardName name, String datacenter, Integer release, ServiceInstance instance) {
        this.name = name;
        this.datacenter = datacenter;
        this.release = release;
        this.instance = instance;
    }

    public ShardName name() {
        return name;
    }

    public String datacenter() {
        return datacenter;
    }

    /** The release number from the service meta, or null when absent or malformed. */
    public Integer release() {
        return release;
    }

    public ServiceInstance instance() {
        return instance;
    }
}
