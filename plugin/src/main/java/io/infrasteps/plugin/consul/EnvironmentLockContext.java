package io.infrasteps.plugin.consul;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the body of {@code withEnvironmentLock} finds in its step context (the block passes it with
 * {@code BodyInvoker.withContext}): the environment locks the enclosing blocks of this build hold, innermost last.
 * A nested {@code setHaproxy} or {@code withEnvironmentLock} for a lock listed here runs under it instead of
 * taking it again: Consul session locks are not reentrant, so a second acquire by the same build would wait for
 * itself. Saved with the program; holds the lock's key, datacenter and Consul session id, never a token.
 */
public final class EnvironmentLockContext implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArrayList<Held> held;

    private EnvironmentLockContext(List<Held> held) {
        this.held = new ArrayList<>(held);
    }

    /** One lock held by an enclosing block. */
    public static final class Held implements Serializable {
        private static final long serialVersionUID = 1L;

        private final String key;
        private final String datacenter;
        private final String session;

        Held(String key, String datacenter, String session) {
            this.key = key;
            this.datacenter = datacenter;
            this.session = session;
        }

        /** e.g. {@code locks/stage/haproxy-state}. */
        public String key() {
            return key;
        }

        public String datacenter() {
            return datacenter;
        }

        /** The Consul session holding the lock. */
        public String session() {
            return session;
        }

        @Override
        public String toString() {
            return key + " in " + datacenter;
        }
    }

    /** The enclosing blocks' locks (or none) plus one more. */
    static EnvironmentLockContext with(EnvironmentLockContext enclosing, Held lock) {
        List<Held> all = new ArrayList<>(enclosing == null ? List.of() : enclosing.held);
        all.add(lock);
        return new EnvironmentLockContext(all);
    }

    /** The held lock with that key, or null. */
    public Held find(String key) {
        for (Held h : held) {
            if (h.key.equals(key)) {
                return h;
            }
        }
        return null;
    }

    public List<Held> held() {
        return Collections.unmodifiableList(held);
    }

    @Override
    public String toString() {
        return "EnvironmentLockContext" + held;
    }
}
