package io.infrasteps.engine.common;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one task per target with bounded parallelism and returns every outcome in target order.
 * A failing target never hides the others: the task function is expected to turn its own
 * failures into outcomes; anything it throws is wrapped by {@code onError}.
 */
public final class FanOut {
    private FanOut() {
    }

    public static <T, R> List<R> run(List<T> targets, int parallelism, Function<T, R> task,
                                     java.util.function.BiFunction<T, Throwable, R> onError) {
        if (targets.isEmpty()) {
            return List.of();
        }
        int threads = Math.max(1, Math.min(parallelism, targets.size()));
        if (threads == 1) {
            List<R> results = new ArrayList<>(targets.size());
            for (T target : targets) {
                results.add(runOne(target, task, onError));
            }
            return results;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, namedDaemonThreads());
        try {
            List<Future<R>> futures = new ArrayList<>(targets.size());
            for (T target : targets) {
                futures.add(pool.submit(() -> runOne(target, task, onError)));
            }
            List<R> results = new ArrayList<>(targets.size());
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    results.add(onError.apply(targets.get(i), e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    for (Future<R> f : futures) {
                        f.cancel(true);
                    }
                    throw new java.util.concurrent.CancellationException("interrupted while waiting for parallel work");
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T, R> R runOne(T target, Function<T, R> task, java.util.function.BiFunction<T, Throwable, R> onError) {
        try {
            return task.apply(target);
        } catch (RuntimeException | Error e) {
            return onError.apply(target, e);
        }
    }

    private static ThreadFactory namedDaemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "infra-steps-fanout-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
