package io.infrasteps.engine.consul;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/** One instance of a service with its node, address, meta and (from the health endpoint) checks. */
public final class ServiceInstance implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String datacenter;
    private final String node;
    private final String id;
    private final String address;
    private final int port;
    private final Map<String, String> meta;
    private final List<Check> checks;

    public ServiceInstance(String datacenter, String node, String id, String address, int port, Map<String, String> meta,
                           List<Check> checks) {
        this.datacenter = datacenter;
        this.node = node;
        this.id = id;
        this.address = address;
        this.port = port;
        this.meta = Map.copyOf(meta);
        this.checks = List.copyOf(checks);
    }

    public String datacenter() {
        return datacenter;
    }

    public String node() {
        return node;
    }

    public String id() {
        return id;
    }

    public String address() {
        return address;
    }

    public int port() {
        return port;
    }

    public Map<String, String> meta() {
        return meta;
    }

    public String meta(String key) {
        return meta.get(key);
    }

    public List<Check> checks() {
        return checks;
    }

    /** Every check passing (an instance without checks counts as passing, as Consul's ?passing does). */
    public boolean passing() {
        return checks.stream().allMatch(c -> "passing".equals(c.status()));
    }

    /** A Consul health check's result. */
    public static final class Check implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String id;
        private final String name;
        private final String status;
        private final String output;

        public Check(String id, String name, String status, String output) {
            this.id = id;
            this.name = name;
            this.status = status;
            this.output = output;
        }

        public String id() {
            return id;
        }

        public String name() {
            return name;
        }

        /** passing, warning or critical. */
        public String status() {
            return status;
        }

        public String output() {
            return output;
        }
    }
}
