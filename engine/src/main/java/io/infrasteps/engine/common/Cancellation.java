package io.infrasteps.engine.common;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cancellation token passed down to every operation. Aborting a build cancels it; blocking
 * I/O registers a callback that closes its socket so the abort takes effect at once.
 */
public final class Cancellation {
    private volatile boolean cancelled;
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    public static Cancellation create() {
        return new Cancellation();
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public void cancel() {
        cancelled = true;
        for (Runnable callback : callbacks) {
            try {
                callback.run();
            } catch (RuntimeException ignored) {
                // one failing callback must not keep the others from releasing their resources
            }
        }
    }

    public void throwIfCancelled() {
        if (cancelled) {
            throw new CancellationException("cancelled");
        }
    }

    /** Runs {@code callback} on cancellation (at once if already cancelled); returns a handle to unregister it. */
    public AutoCloseable onCancel(Runnable callback) {
        callbacks.add(callback);
        if (cancelled) {
            callback.run();
        }
        return () -> callbacks.remove(callback);
    }
}
