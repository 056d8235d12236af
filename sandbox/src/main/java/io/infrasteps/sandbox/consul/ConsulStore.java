package io.infrasteps.sandbox.consul;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The replicated state of every datacenter, behind one lock. A single raft-like index is bumped
 * by every applied write (as Consul's raft log index is, even for a CAS that fails); each
 * datacenter keeps its own KV store, tombstones, catalog and sessions, and the "table indexes"
 * Consul derives X-Consul-Index from. Blocking queries wait on one condition that every change
 * signals, re-run their query and return once its index passes the client's.
 */
final class ConsulStore {
    /** Thrown for errors Consul returns from its RPC layer: HTTP status plus Consul's message. */
    static class ApiException extends RuntimeException {
        final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** One answer of a query: its X-Consul-Index and the value to serialize. */
    record Result<T>(long index, T value) {
    }

    static final class Kv {
        final String key;
        final long flags;
        final byte[] value;
        final String session;
        final long lockIndex;
        final long createIndex;
        final long modifyIndex;

        Kv(String key, long flags, byte[] value, String session, long lockIndex, long createIndex, long modifyIndex) {
            this.key = key;
            this.flags = flags;
            this.value = value == null || value.length == 0 ? null : value;
            this.session = session == null || session.isEmpty() ? null : session;
            this.lockIndex = lockIndex;
            this.createIndex = createIndex;
            this.modifyIndex = modifyIndex;
        }

        /** Consul's DirEntry.Equal: indexes aside, nothing changed. */
        boolean sameAs(Kv other) {
            return other != null && lockIndex == other.lockIndex && key.equals(other.key) && flags == other.flags
                    && Arrays.equals(value, other.value) && java.util.Objects.equals(session, other.session);
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("LockIndex", lockIndex);
            m.put("Key", key);
            m.put("Flags", flags);
            m.put("Value", value == null ? null : Base64.getEncoder().encodeToString(value));
            if (session != null) {
                m.put("Session", session);
            }
            m.put("CreateIndex", createIndex);
            m.put("ModifyIndex", modifyIndex);
            return m;
        }
    }

    static final class Check {
        String node;
        String checkId;
        String name;
        String status;
        String output;
        String serviceId;
        String serviceName;
        long createIndex;
        long modifyIndex;

        Map<String, Object> json(List<String> serviceTags) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Node", node);
            m.put("CheckID", checkId);
            m.put("Name", name);
            m.put("Status", status);
            m.put("Notes", "");
            m.put("Output", output);
            m.put("ServiceID", serviceId);
            m.put("ServiceName", serviceName);
            m.put("ServiceTags", serviceTags);
            m.put("Type", "");
            m.put("CreateIndex", createIndex);
            m.put("ModifyIndex", modifyIndex);
            return m;
        }
    }

    static final class Node {
        String name;
        String address;
        final Map<String, Check> checks = new LinkedHashMap<>();
        long createIndex;
        long modifyIndex;
    }

    static final class Service {
        String id;
        String name;
        String node;
        String address;
        int port;
        Map<String, String> meta;
        List<String> tags;
        final Map<String, Check> checks = new LinkedHashMap<>();
        long createIndex;
        long modifyIndex;
    }

    static final class Session {
        String id;
        String name;
        String node;
        long lockDelayNanos;
        String behavior;
        String ttl;
        long ttlNanos;
        List<String> nodeChecks;
        long createIndex;
        long modifyIndex;
        ScheduledFuture<?> timer;
        long timerSeq;

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ID", id);
            m.put("Name", name);
            m.put("Node", node);
            m.put("LockDelay", lockDelayNanos);
            m.put("Behavior", behavior);
            m.put("TTL", ttl);
            m.put("NodeChecks", nodeChecks);
            m.put("ServiceChecks", null);
            m.put("CreateIndex", createIndex);
            m.put("ModifyIndex", modifyIndex);
            return m;
        }
    }

    static final class Dc {
        final String name;
        final TreeMap<String, Kv> kv = new TreeMap<>();
        final TreeMap<String, Long> tombstones = new TreeMap<>();
        /** Last index at which the kvs or tombstones table changed. */
        long kvIndex;
        /** Key -> System.nanoTime() until which acquire is refused (lock-delay after an invalidated session). */
        final Map<String, Long> lockDelays = new HashMap<>();
        final Map<String, Node> nodes = new TreeMap<>();
        final Map<String, Service> services = new TreeMap<>();
        /** Service name -> last index at which one of its instances or their checks changed. */
        final Map<String, Long> serviceIndex = new HashMap<>();
        /** Index at which the last service lost its last instance (Consul's service_last_extinction). */
        long lastExtinction;
        long catalogIndex;
        final Map<String, Session> sessions = new LinkedHashMap<>();
        long sessionIndex;

        Dc(String name) {
            this.name = name;
        }
    }

    final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition blockedChanged = lock.newCondition();
    private final Map<String, Dc> dcs = new LinkedHashMap<>();
    private final String agentDc;
    private final String agentNode;
    private final ScheduledExecutorService scheduler;
    private long raftIndex = 1;
    private long epoch;
    private int blocked;
    private boolean closed;

    ConsulStore(List<String> datacenters, String agentNode, ScheduledExecutorService scheduler) {
        this.agentDc = datacenters.get(0);
        this.agentNode = agentNode;
        this.scheduler = scheduler;
        for (String dc : datacenters) {
            dcs.put(dc, new Dc(dc));
        }
        // The agent's own node, with the serfHealth check every agent has, so sessions can be created
        // in the agent's datacenter as in a real cluster.
        Dc local = dcs.get(agentDc);
        Node node = new Node();
        node.name = agentNode;
        node.address = "127.0.0.1";
        node.createIndex = 1;
        node.modifyIndex = 1;
        Check serf = new Check();
        serf.node = agentNode;
        serf.checkId = "serfHealth";
        serf.name = "Serf Health Status";
        serf.status = "passing";
        serf.output = "Agent alive and reachable";
        serf.serviceId = "";
        serf.serviceName = "";
        serf.createIndex = 1;
        serf.modifyIndex = 1;
        node.checks.put(serf.checkId, serf);
        local.nodes.put(agentNode, node);
    }

    String agentDc() {
        return agentDc;
    }

    List<String> datacenterNames() {
        return new ArrayList<>(dcs.keySet());
    }

    /** The datacenter named by {@code ?dc=} (or the agent's); Consul answers 500 "No path to datacenter" otherwise. */
    Dc dc(String name) {
        Dc dc = dcs.get(name == null || name.isEmpty() ? agentDc : name);
        if (dc == null) {
            throw new ApiException(500, "No path to datacenter");
        }
        return dc;
    }

    /** An RPC error as the agent reports it; errors from another datacenter come back through one more RPC hop. */
    ApiException rpcError(Dc dc, String message) {
        return new ApiException(500, dc.name.equals(agentDc) ? message : "rpc error making call: " + message);
    }

    long index() {
        lock.lock();
        try {
            return raftIndex;
        } finally {
            lock.unlock();
        }
    }

    private long nextIndex() {
        return ++raftIndex;
    }

    private void signal() {
        changed.signalAll();
    }

    <T> T write(Supplier<T> operation) {
        lock.lock();
        try {
            if (closed) {
                throw new ApiException(500, "sandbox consul is closed");
            }
            T result = operation.get();
            signal();
            return result;
        } finally {
            lock.unlock();
        }
    }

    // ---- blocking queries ----

    /**
     * Runs {@code query}; when {@code minIndex > 0} and the answer's index is not above it, waits
     * (without polling) for a change that lifts it, until {@code waitNanos} pass, the store is
     * closed, or the index is reset (a snapshot restore abandons every blocked query, as in Consul).
     */
    <T> Result<T> query(long minIndex, long waitNanos, Supplier<Result<T>> query) throws InterruptedException {
        lock.lock();
        try {
            Result<T> result = query.get();
            if (minIndex == 0 || result.index() > minIndex || closed) {
                return result;
            }
            long startEpoch = epoch;
            long deadline = System.nanoTime() + waitNanos;
            blocked++;
            blockedChanged.signalAll();
            try {
                while (true) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return query.get();
                    }
                    changed.awaitNanos(remaining);
                    if (closed || epoch != startEpoch) {
                        return query.get();
                    }
                    result = query.get();
                    if (result.index() > minIndex) {
                        return result;
                    }
                }
            } finally {
                blocked--;
                blockedChanged.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    int blocked() {
        lock.lock();
        try {
            return blocked;
        } finally {
            lock.unlock();
        }
    }

    boolean awaitBlocked(int count, long timeoutNanos) throws InterruptedException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + timeoutNanos;
            while (blocked < count) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return false;
                }
                blockedChanged.awaitNanos(remaining);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    void close() {
        lock.lock();
        try {
            closed = true;
            for (Dc dc : dcs.values()) {
                for (Session s : dc.sessions.values()) {
                    if (s.timer != null) {
                        s.timer.cancel(false);
                    }
                }
            }
            signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Simulates a snapshot restore: every stored index (entries, tombstones, table indexes,
     * sessions, catalog) becomes 1 and the raft index restarts at 1, so every client sees
     * X-Consul-Index go backwards; blocked queries are released at once.
     */
    void resetIndex() {
        lock.lock();
        try {
            raftIndex = 1;
            epoch++;
            for (Dc dc : dcs.values()) {
                for (Map.Entry<String, Kv> e : dc.kv.entrySet()) {
                    Kv k = e.getValue();
                    e.setValue(new Kv(k.key, k.flags, k.value, k.session, k.lockIndex, 1, 1));
                }
                dc.tombstones.replaceAll((k, v) -> 1L);
                dc.kvIndex = dc.kvIndex == 0 ? 0 : 1;
                for (Node n : dc.nodes.values()) {
                    n.createIndex = 1;
                    n.modifyIndex = 1;
                    n.checks.values().forEach(c -> {
                        c.createIndex = 1;
                        c.modifyIndex = 1;
                    });
                }
                for (Service s : dc.services.values()) {
                    s.createIndex = 1;
                    s.modifyIndex = 1;
                    s.checks.values().forEach(c -> {
                        c.createIndex = 1;
                        c.modifyIndex = 1;
                    });
                }
                dc.serviceIndex.replaceAll((k, v) -> 1L);
                dc.lastExtinction = dc.lastExtinction == 0 ? 0 : 1;
                dc.catalogIndex = dc.catalogIndex == 0 ? 0 : 1;
                for (Session s : dc.sessions.values()) {
                    s.createIndex = 1;
                    s.modifyIndex = 1;
                }
                dc.sessionIndex = dc.sessionIndex == 0 ? 0 : 1;
            }
            signal();
        } finally {
            lock.unlock();
        }
    }

    // ---- KV (all under lock) ----

    Result<Kv> kvGet(Dc dc, String key) {
        Kv entry = dc.kv.get(key);
        if (entry != null) {
            return new Result<>(atLeastOne(entry.modifyIndex), entry);
        }
        return new Result<>(atLeastOne(dc.kvIndex), null);
    }

    Result<List<Kv>> kvList(Dc dc, String prefix) {
        List<Kv> entries = new ArrayList<>();
        long lindex = 0;
        for (Kv e : prefixView(dc.kv, prefix).values()) {
            entries.add(e);
            lindex = Math.max(lindex, e.modifyIndex);
        }
        if (prefix.isEmpty()) {
            lindex = dc.kvIndex;
        } else {
            for (long t : prefixView(dc.tombstones, prefix).values()) {
                lindex = Math.max(lindex, t);
            }
        }
        return new Result<>(atLeastOne(lindex != 0 ? lindex : dc.kvIndex), entries);
    }

    private static <V> NavigableMap<String, V> prefixView(TreeMap<String, V> map, String prefix) {
        if (prefix.isEmpty()) {
            return map;
        }
        return map.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    private static long atLeastOne(long index) {
        return Math.max(1, index);
    }

    private void storeKv(Dc dc, Kv entry) {
        dc.kv.put(entry.key, entry);
        dc.tombstones.remove(entry.key);
        dc.kvIndex = entry.modifyIndex;
    }

    /** A plain set: keeps the lock holder (session), resets LockIndex as Consul's kvsSetTxn does. */
    boolean kvSet(Dc dc, String key, long flags, byte[] value) {
        long idx = nextIndex();
        setTxn(dc, idx, key, flags, value);
        return true;
    }

    private void setTxn(Dc dc, long idx, String key, long flags, byte[] value) {
        Kv existing = dc.kv.get(key);
        Kv entry = new Kv(key, flags, value, existing == null ? null : existing.session, 0,
                existing == null ? idx : existing.createIndex, idx);
        if (entry.sameAs(existing)) {
            return;
        }
        storeKv(dc, entry);
    }

    boolean kvCas(Dc dc, String key, long flags, byte[] value, long cas) {
        long idx = nextIndex();
        Kv existing = dc.kv.get(key);
        if (cas == 0 && existing != null) {
            return false;
        }
        if (cas != 0 && (existing == null || existing.modifyIndex != cas)) {
            return false;
        }
        setTxn(dc, idx, key, flags, value);
        return true;
    }

    boolean kvLock(Dc dc, String key, long flags, byte[] value, String session) {
        Long delay = dc.lockDelays.get(key);
        if (delay != null) {
            if (delay - System.nanoTime() > 0) {
                return false;
            }
            dc.lockDelays.remove(key);
        }
        long idx = nextIndex();
        if (session == null || session.isEmpty()) {
            throw rpcError(dc, "missing session");
        }
        if (!dc.sessions.containsKey(session)) {
            throw rpcError(dc, "invalid session \"" + session + "\"");
        }
        Kv existing = dc.kv.get(key);
        long createIndex;
        long lockIndex;
        if (existing != null) {
            if (session.equals(existing.session)) {
                lockIndex = existing.lockIndex;
            } else if (existing.session != null) {
                return false;
            } else {
                lockIndex = existing.lockIndex + 1;
            }
            createIndex = existing.createIndex;
        } else {
            createIndex = idx;
            lockIndex = 1;
        }
        Kv entry = new Kv(key, flags, value, session, lockIndex, createIndex, idx);
        if (!entry.sameAs(existing)) {
            storeKv(dc, entry);
        }
        return true;
    }

    boolean kvUnlock(Dc dc, String key, long flags, byte[] value, String session) {
        long idx = nextIndex();
        if (session == null || session.isEmpty()) {
            throw rpcError(dc, "missing session");
        }
        Kv existing = dc.kv.get(key);
        if (existing == null || !session.equals(existing.session)) {
            return false;
        }
        // Consul stores the request body as the new value on release, too.
        Kv entry = new Kv(key, flags, value, null, existing.lockIndex, existing.createIndex, idx);
        if (!entry.sameAs(existing)) {
            storeKv(dc, entry);
        }
        return true;
    }

    boolean kvDelete(Dc dc, String key) {
        long idx = nextIndex();
        deleteTxn(dc, idx, key);
        return true;
    }

    private boolean deleteTxn(Dc dc, long idx, String key) {
        if (dc.kv.remove(key) == null) {
            return false;
        }
        dc.tombstones.put(key, idx);
        dc.kvIndex = idx;
        return true;
    }

    boolean kvDeleteCas(Dc dc, String key, long cas) {
        long idx = nextIndex();
        Kv existing = dc.kv.get(key);
        if (existing == null) {
            return true;
        }
        if (existing.modifyIndex != cas) {
            return false;
        }
        deleteTxn(dc, idx, key);
        return true;
    }

    boolean kvDeleteTree(Dc dc, String prefix) {
        long idx = nextIndex();
        List<String> keys = new ArrayList<>(prefixView(dc.kv, prefix).keySet());
        for (String key : keys) {
            deleteTxn(dc, idx, key);
        }
        if (!keys.isEmpty() && !prefix.isEmpty()) {
            dc.tombstones.put(prefix, idx);
        }
        return true;
    }

    // ---- sessions (under lock) ----

    Session sessionCreate(Dc dc, String name, String node, long lockDelayNanos, String behavior, String ttl, long ttlNanos,
                          List<String> nodeChecks) {
        long idx = nextIndex();
        Node n = dc.nodes.get(node);
        if (n == null) {
            throw rpcError(dc, "Missing node registration");
        }
        for (String checkId : nodeChecks) {
            Check check = n.checks.get(checkId);
            if (check == null) {
                throw rpcError(dc, "Missing check '" + checkId + "' registration");
            }
            if (check.status.equals("critical")) {
                throw rpcError(dc, "Check '" + checkId + "' is in critical state");
            }
        }
        Session s = new Session();
        do {
            s.id = UUID.randomUUID().toString();
        } while (dc.sessions.containsKey(s.id));
        s.name = name;
        s.node = node;
        s.lockDelayNanos = lockDelayNanos;
        s.behavior = behavior;
        s.ttl = ttl;
        s.ttlNanos = ttlNanos;
        s.nodeChecks = nodeChecks;
        s.createIndex = idx;
        s.modifyIndex = idx;
        dc.sessions.put(s.id, s);
        dc.sessionIndex = idx;
        armTimer(dc, s);
        return s;
    }

    /** Resets the TTL timer. The sandbox expires a session exactly {@code TTL} after its last renewal. */
    private void armTimer(Dc dc, Session s) {
        if (s.timer != null) {
            s.timer.cancel(false);
            s.timer = null;
        }
        if (s.ttlNanos <= 0 || closed) {
            return;
        }
        long seq = ++s.timerSeq;
        s.timer = scheduler.schedule(() -> expire(dc, s.id, seq), s.ttlNanos, TimeUnit.NANOSECONDS);
    }

    private void expire(Dc dc, String id, long seq) {
        lock.lock();
        try {
            Session s = dc.sessions.get(id);
            if (s != null && s.timerSeq == seq && !closed) {
                invalidate(dc, s);
                signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Renews a session: null when it no longer exists. */
    Session sessionRenew(Dc dc, String id) {
        Session s = dc.sessions.get(id);
        if (s != null) {
            armTimer(dc, s);
        }
        return s;
    }

    boolean sessionDestroy(Dc dc, String id) {
        Session s = dc.sessions.get(id);
        if (s != null) {
            invalidate(dc, s);
        } else {
            nextIndex();
        }
        return true;
    }

    /** Forces the invalidation a TTL expiry would cause, now. */
    boolean expireNow(Dc dc, String id) {
        Session s = dc.sessions.get(id);
        if (s == null) {
            return false;
        }
        invalidate(dc, s);
        return true;
    }

    /** Consul's deleteSessionTxn: drop the session, then release (or delete) its keys and start their lock-delay. */
    private void invalidate(Dc dc, Session s) {
        long idx = nextIndex();
        if (s.timer != null) {
            s.timer.cancel(false);
            s.timer = null;
        }
        dc.sessions.remove(s.id);
        dc.sessionIndex = idx;
        List<Kv> held = new ArrayList<>();
        for (Kv e : dc.kv.values()) {
            if (s.id.equals(e.session)) {
                held.add(e);
            }
        }
        long now = System.nanoTime();
        for (Kv e : held) {
            if (s.lockDelayNanos > 0) {
                dc.lockDelays.put(e.key, now + s.lockDelayNanos);
            }
            if ("delete".equals(s.behavior)) {
                deleteTxn(dc, idx, e.key);
            } else {
                storeKv(dc, new Kv(e.key, e.flags, e.value, null, e.lockIndex, e.createIndex, idx));
            }
        }
    }

    Result<List<Session>> sessionInfo(Dc dc, String id) {
        Session s = dc.sessions.get(id);
        return new Result<>(atLeastOne(dc.sessionIndex), s == null ? List.of() : List.of(s));
    }

    Result<List<Session>> sessionList(Dc dc) {
        return new Result<>(atLeastOne(dc.sessionIndex), new ArrayList<>(dc.sessions.values()));
    }

    String agentNode() {
        return agentNode;
    }

    // ---- catalog (under lock) ----

    private void touchService(Dc dc, String serviceName, long idx) {
        dc.serviceIndex.put(serviceName, idx);
        dc.catalogIndex = idx;
    }

    boolean registerNode(Dc dc, String name, String address) {
        Node existing = dc.nodes.get(name);
        if (existing != null && existing.address.equals(address)) {
            return false;
        }
        ensureNode(dc, name, address, nextIndex());
        return true;
    }

    Node ensureNode(Dc dc, String name, String address, long idx) {
        Node n = dc.nodes.get(name);
        if (n == null) {
            n = new Node();
            n.name = name;
            n.address = address;
            n.createIndex = idx;
            n.modifyIndex = idx;
            dc.nodes.put(name, n);
            dc.catalogIndex = idx;
        } else if (!n.address.equals(address)) {
            n.address = address;
            n.modifyIndex = idx;
            dc.catalogIndex = idx;
            for (Service s : dc.services.values()) {
                if (s.node.equals(name)) {
                    touchService(dc, s.name, idx);
                }
            }
        }
        return n;
    }

    void registerService(Dc dc, String node, String nodeAddress, String id, String name, String address, int port,
                         Map<String, String> meta, List<String> tags, List<CheckSpec> checks) {
        Service existing = dc.services.get(id);
        if (existing != null && !existing.node.equals(node)) {
            throw new IllegalArgumentException("service id " + id + " is already registered on node " + existing.node
                    + " in " + dc.name + "; the sandbox keeps service ids unique per datacenter");
        }
        long idx = nextIndex();
        ensureNode(dc, node, nodeAddress, idx);
        Service s = existing != null ? existing : new Service();
        boolean changed = existing == null || !existing.name.equals(name) || !existing.address.equals(address)
                || existing.port != port || !existing.meta.equals(meta) || !existing.tags.equals(tags);
        if (existing != null && !existing.name.equals(name)) {
            removeService(dc, existing, idx);
            s = new Service();
        }
        if (changed) {
            s.id = id;
            s.name = name;
            s.node = node;
            s.address = address;
            s.port = port;
            s.meta = Map.copyOf(meta);
            s.tags = List.copyOf(tags);
            if (s.createIndex == 0) {
                s.createIndex = idx;
            }
            s.modifyIndex = idx;
            dc.services.put(id, s);
            touchService(dc, name, idx);
        }
        for (CheckSpec spec : checks) {
            Check c = s.checks.get(spec.checkId());
            if (c == null) {
                c = new Check();
                c.node = node;
                c.checkId = spec.checkId();
                c.serviceId = id;
                c.serviceName = name;
                c.createIndex = idx;
                s.checks.put(c.checkId, c);
            } else if (c.name.equals(spec.name()) && c.status.equals(spec.status()) && c.output.equals(spec.output())) {
                continue;
            }
            c.name = spec.name();
            c.status = spec.status();
            c.output = spec.output();
            c.modifyIndex = idx;
            touchService(dc, name, idx);
        }
    }

    boolean setCheck(Dc dc, String serviceId, String checkId, String status, String output) {
        Service s = dc.services.get(serviceId);
        if (s == null) {
            throw new IllegalArgumentException("no service instance " + serviceId + " in datacenter " + dc.name);
        }
        Check c = s.checks.get(checkId);
        if (c != null && c.status.equals(status) && c.output.equals(output)) {
            return false;
        }
        long idx = nextIndex();
        if (c == null) {
            c = new Check();
            c.node = s.node;
            c.checkId = checkId;
            c.name = checkId;
            c.serviceId = s.id;
            c.serviceName = s.name;
            c.createIndex = idx;
            s.checks.put(checkId, c);
        }
        c.status = status;
        c.output = output;
        c.modifyIndex = idx;
        touchService(dc, s.name, idx);
        return true;
    }

    boolean setNodeCheck(Dc dc, String node, String checkId, String status, String output) {
        Node n = dc.nodes.get(node);
        if (n == null) {
            throw new IllegalArgumentException("no node " + node + " in datacenter " + dc.name);
        }
        Check c = n.checks.get(checkId);
        if (c != null && c.status.equals(status) && c.output.equals(output)) {
            return false;
        }
        long idx = nextIndex();
        if (c == null) {
            c = new Check();
            c.node = node;
            c.checkId = checkId;
            c.name = checkId.equals("serfHealth") ? "Serf Health Status" : checkId;
            c.serviceId = "";
            c.serviceName = "";
            c.createIndex = idx;
            n.checks.put(checkId, c);
        }
        c.status = status;
        c.output = output;
        c.modifyIndex = idx;
        dc.catalogIndex = idx;
        for (Service s : dc.services.values()) {
            if (s.node.equals(node)) {
                touchService(dc, s.name, idx);
            }
        }
        // Consul invalidates sessions whose checks go critical.
        if (status.equals("critical")) {
            for (Session session : new ArrayList<>(dc.sessions.values())) {
                if (session.node.equals(node) && session.nodeChecks.contains(checkId)) {
                    invalidate(dc, session);
                }
            }
        }
        return true;
    }

    void deregister(Dc dc, String serviceId) {
        Service s = dc.services.get(serviceId);
        if (s == null) {
            throw new IllegalArgumentException("no service instance " + serviceId + " in datacenter " + dc.name);
        }
        removeService(dc, s, nextIndex());
    }

    private void removeService(Dc dc, Service s, long idx) {
        dc.services.remove(s.id);
        dc.catalogIndex = idx;
        boolean any = dc.services.values().stream().anyMatch(o -> o.name.equals(s.name));
        if (any) {
            dc.serviceIndex.put(s.name, idx);
        } else {
            dc.serviceIndex.remove(s.name);
            dc.lastExtinction = idx;
        }
    }

    /** X-Consul-Index of a service's catalog and health queries, as Consul's maxIndexForService computes it. */
    long serviceQueryIndex(Dc dc, String service) {
        Long idx = dc.serviceIndex.get(service);
        if (idx != null) {
            return atLeastOne(idx);
        }
        return atLeastOne(dc.lastExtinction != 0 ? dc.lastExtinction : dc.catalogIndex);
    }

    List<Service> instances(Dc dc, String service) {
        List<Service> out = new ArrayList<>();
        for (Service s : dc.services.values()) {
            if (s.name.equals(service)) {
                out.add(s);
            }
        }
        out.sort((a, b) -> a.node.equals(b.node) ? a.id.compareTo(b.id) : a.node.compareTo(b.node));
        return out;
    }

    static String nodeId(String dc, String node) {
        return UUID.nameUUIDFromBytes((dc + "/" + node).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString();
    }
}
