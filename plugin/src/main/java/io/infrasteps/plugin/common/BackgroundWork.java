package io.infrasteps.plugin.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The plugin's own threads for asynchronous step executions (health waits, lock acquisition and release). Not
 * Jenkins' {@code jenkins.util.Timer}: that is a fixed pool of 10 threads shared by all of Jenkins, and a wait of
 * up to hours must not occupy one of them. Daemon threads, created on demand, kept 60 s when idle; none of them
 * holds an executor slot.
 */
public final class BackgroundWork {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "infra-steps-background-" + COUNT.incrementAndGet());
        thread.setDaemon(true);
        thread.setContextClassLoader(BackgroundWork.class.getClassLoader());
        return thread;
    });

    private BackgroundWork() {
    }

    public static Future<?> submit(Runnable work) {
        return THREADS.submit(work);
    }
}
