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

    /**
     * Releases a lock the step took. An aborted step's thread may be interrupted (Jenkins interrupts
     * {@code SynchronousNonBlockingStepExecution} threads on abort), which would make the engine's release requests
     * fail quietly and leave the lock to its TTL: the interrupt is set aside while releasing and restored after.
     */
    @Override
    public void close() {
        if (owned) {
            boolean interrupted = Thread.interrupted();
            try {
                lock.close();
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
