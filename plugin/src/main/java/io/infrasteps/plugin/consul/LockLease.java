package io.infrasteps.plugin.consul;

import io.infrasteps.engine.consul.EnvironmentLock;

/**
 * An environment lock for the duration of one change: either taken by the step itself (closing releases it) or
 * borrowed from an enclosing {@code withEnvironmentLock} block (closing leaves it held).
 */
public final class LockLease implements AutoCloseable {
    private final EnvironmentLock lock;
    private final boolean owned;

    LockLease(EnvironmentLock lock, boolean owned) {
        this.lock = lock;
        this.owned = owned;
    }

    public EnvironmentLock lock() {
        return lock;
    }

    /** True when the lock belongs to an enclosing block. */
    public boolean borrowed() {
        return !owned;
    }

    /** Releases a lock the step took (the engine releases even from an interrupted, aborted step's thread). */
    @Override
    public void close() {
        if (owned) {
            lock.close();
        }
    }
}
