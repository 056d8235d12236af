package io.infrasteps.engine.common;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one task per target with bounded parallelism and returns every outcome in target order.
 * A failing target never hides the others: {@code onError} turns a target's exception into its
 * outcome (it may rethrow to abort everything, e.g. on cancellation).
 *
 * <p>Workers come from one shared cached pool, so a fan-out costs no thread start-ups once
 * warm; {@code parallelism} workers pull targets from a shared index.
 */
public final class FanOut {
    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "infra-steps-fanout");
        thread.setDaemon(true);
        return thread;
    });

    private FanOut() {
    }

    public static <T, R> List<R> run(List<T> targets, int parallelism, Function<T, R> task, BiFunction<T, Throwable, R> onError) {
        int workers = Math.max(1, Math.min(parallelism, targets.size()));
        Object[] results = new Object[targets.size()];
        if (workers == 1) {
            for (int i = 0; i < targets.size(); i++) {
                results[i] = runOne(targets.get(i), task, onError);
            }
            return toList(results);
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            futures.add(WORKERS.submit(() -> {
                for (int i = next.getAndIncrement(); i < targets.size(); i = next.getAndIncrement()) {
                    results[i] = runOne(targets.get(i), task, onError);
                }
            }));
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new CancellationException("interrupted while waiting for parallel work");
        }
        return toList(results);
    }

    private static <T, R> R runOne(T target, Function<T, R> task, BiFunction<T, Throwable, R> onError) {
        try {
            return task.apply(target);
        } catch (RuntimeException | Error e) {
            return onError.apply(target, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> List<R> toList(Object[] results) {
        return (List<R>) Arrays.asList(results);
    }
}
