package io.infrasteps.sandbox.process;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

/** Waits for readiness by polling with a short exponential backoff, bounded by a deadline. */
public final class Poll {
    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final long MAX_PAUSE_MILLIS = 100;

    private Poll() {
    }

    /** One attempt: a non-null result means ready, null or an IOException means not yet. */
    @FunctionalInterface
    public interface Probe<T> {
        T attempt() throws IOException;
    }

    /**
     * Repeats {@code probe} until it returns a value. Runtime exceptions from the probe (e.g.
     * {@link ProcessExitedException}) end the wait at once; running out of time throws a
     * {@link ReadinessException} naming {@code what}, the last IO error and {@code diagnostics}.
     */
    public static <T> T until(String what, Duration timeout, Probe<T> probe, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pause = FIRST_PAUSE_MILLIS;
        IOException lastError = null;
        while (true) {
            try {
                T result = probe.attempt();
                if (result != null) {
                    return result;
                }
            } catch (IOException e) {
                lastError = e;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                String cause = lastError == null ? "" : " (last error: " + lastError + ")";
                throw new ReadinessException(what + " not ready after " + timeout.toMillis() + " ms" + cause
                        + "\n" + diagnostics.get(), lastError);
            }
            sleep(Math.min(pause, Duration.ofNanos(left).toMillis() + 1));
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadinessException("interrupted while waiting", e);
        }
    }
}
