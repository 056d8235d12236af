package io.infrasteps.plugin.consul;

import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The environment locks {@code withEnvironmentLock} blocks hold in this controller, by Consul session id: the
 * live {@link EnvironmentLock} (which renews its session) and the Consul clients it renews through. Nested steps
 * find the lock here from the session id in their {@link EnvironmentLockContext}. In memory only: after a restart
 * each block's {@code onResume} puts its lock back (or fails the block when the lock was lost).
 */
final class HeldLocks {
    private static final Map<String, Held> HELD = new ConcurrentHashMap<>();
    private static final Object CHANGED = new Object();

    private HeldLocks() {
    }

    private static final class Held {
        final EnvironmentLock lock;
        final ConsulSite consul;

        Held(EnvironmentLock lock, ConsulSite consul) {
            this.lock = lock;
            this.consul = consul;
        }
    }

    static void register(EnvironmentLock lock, ConsulSite consul) {
        HELD.put(lock.session(), new Held(lock, consul));
        synchronized (CHANGED) {
            CHANGED.notifyAll();
        }
    }

    /** The live lock of that session, waiting up to {@code wait} for a block resuming after a restart to put it back. */
    static EnvironmentLock await(String session, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (CHANGED) {
            while (true) {
                Held held = HELD.get(session);
                if (held != null) {
                    return held.lock;
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    return null;
                }
                CHANGED.wait(Math.max(1, remaining / 1_000_000));
            }
        }
    }

    static boolean isHeld(String session) {
        return HELD.containsKey(session);
    }

    /** Releases the lock and its session in Consul and wipes the clients' token; false when not held here. */
    static boolean release(String session) {
        Held held = HELD.remove(session);
        if (held == null) {
            return false;
        }
        try {
            held.lock.close();
        } finally {
            held.consul.close();
        }
        return true;
    }
}
