package io.infrasteps.engine.shard;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.consul.KvWrites;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.FleetOperationException;
import io.infrasteps.engine.haproxy.HaproxyFleet;
import io.infrasteps.engine.haproxy.ProxyOutcome;
import io.infrasteps.engine.haproxy.ServerState;
import io.infrasteps.engine.haproxy.ServerTarget;
import io.infrasteps.engine.site.Region;

/**
 * A shard's ready/drain state, kept in Consul ({@code shard-states/<env>/<shard>}, the source of
 * truth the proxies' agent checks read, so it survives HAProxy reloads) and applied at once on
 * every proxy through the runtime API. Runs under the environment lock.
 */
public final class ShardStates {
    private final ConsulSite consul;
    private final HaproxyFleet haproxy;

    public ShardStates(ConsulSite consul, HaproxyFleet haproxy) {
        this.consul = consul;
        this.haproxy = haproxy;
    }

    /** What a state change did: on the proxies, and to the KV key in the shard's datacenter. */
    public static final class Result {
        private final FleetChange proxies;
        private final String datacenter;
        private final String key;
        private final KvWrites.Written kv;

        Result(FleetChange proxies, String datacenter, String key, KvWrites.Written kv) {
            this.proxies = proxies;
            this.datacenter = datacenter;
            this.key = key;
            this.kv = kv;
        }

        public FleetChange proxies() {
            return proxies;
        }

        public String datacenter() {
            return datacenter;
        }

        public String key() {
            return key;
        }

        /** The CAS write: whether it changed the key, and the value before. */
        public KvWrites.Written kv() {
            return kv;
        }
    }

    public static String key(String environment, ShardName shard) {
        return "shard-states/" + environment + "/" + shard;
    }

    /**
     * Applies {@code state} (ready or drain) to a shard. Order matters: the proxies are changed
     * first, because the last-ready guard may refuse; only then is the state recorded in KV
     * (with CAS). A proxy that could not be changed does not stop the KV write (it converges
     * from KV when it comes back) but fails the operation unless the fleet tolerates failures.
     *
     * @param lock proof that the caller holds the environment lock
     */
    public Result apply(ShardName shard, ServerState state, boolean force, EnvironmentLock lock,
                             ProgressListener listener, Cancellation cancellation) {
        if (state == ServerState.MAINT) {
            throw new InvalidInputException("state", "maint is not a shard state kept in Consul", "ready or drain");
        }
        EnvironmentLock.requireHeld(lock, "change state");
        FleetChange change;
        FleetOperationException failed = null;
        try {
            change = haproxy.setServerState(ServerTarget.shard(shard.toString()), state, force, listener, cancellation);
        } catch (FleetOperationException e) {
            if (e.change().outcomes().stream().anyMatch(o -> o.result() == ProxyOutcome.Result.REFUSED)) {
                throw e;
            }
            change = e.change();
            failed = e;
        }
        Region region = consul.site().findRegion(shard.region()).orElseThrow();
        String key = key(consul.site().name(), shard);
        KvWrites.Written written = KvWrites.casPut(consul.client(region), region.datacenter(), key, state.keyword(), cancellation);
        listener.line("[consul " + region.datacenter() + "] " + key + ": "
                + (written.changed() ? (written.before() == null ? "(absent)" : written.before()) + " -> " + state.keyword() : "already " + state.keyword()));
        if (failed != null) {
            throw failed;
        }
        return new Result(change, region.datacenter(), key, written);
    }
}
