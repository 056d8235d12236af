package io.infrasteps.engine.consul;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.sandbox.consul.SandboxConsul;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvironmentLockTest {
    private SandboxConsul sandbox;
    private ConsulClient consul;

    @BeforeEach
    void start() {
        sandbox = SandboxConsul.start("e-r1");
        sandbox.sessionTtlMin(Duration.ofMillis(100));
        consul = new ConsulClient(sandbox.uri(), null, RetryPolicy.defaults(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private EnvironmentLock acquire(String holder, Duration waitFor) {
        return EnvironmentLock.acquire(consul, "e-r1", "e", "haproxy-state", holder, Duration.ofSeconds(10), waitFor, Cancellation.create());
    }

    @Test
    void aBusyLockNamesItsHolderAndIsReleasedOnClose() {
        try (EnvironmentLock held = acquire("https://jenkins/job/ga/42/", Duration.ZERO)) {
            assertEquals("locks/e/haproxy-state", held.key());
            EnvironmentLock.LockBusyException busy = assertThrows(EnvironmentLock.LockBusyException.class,
                    () -> acquire("cli bob@laptop", Duration.ZERO));
            assertTrue(busy.getMessage().contains("held by https://jenkins/job/ga/42/ since 20"), busy.getMessage());
            assertEquals(1, sandbox.sessions("e-r1").size(), "the refused attempt destroyed its session");
        }
        assertNull(sandbox.kvLockHolder("e-r1", "locks/e/haproxy-state"));
        assertTrue(sandbox.sessions("e-r1").isEmpty());
        acquire("next", Duration.ZERO).close();
    }

    @Test
    void aDeadHoldersSessionExpiryFreesTheLockForAWaiter() throws Exception {
        EnvironmentLock dead = acquire("crashed build", Duration.ZERO);
        String session = sandbox.sessions("e-r1").get(0);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<EnvironmentLock> waiter = pool.submit(() -> acquire("waiting build", Duration.ofSeconds(20)));
            assertTrue(sandbox.awaitBlockedQueries(1, Duration.ofSeconds(5)), "waits with a blocking query, not a poll");
            sandbox.expireSession("e-r1", session);
            try (EnvironmentLock next = waiter.get(5, TimeUnit.SECONDS)) {
                assertTrue(sandbox.kv("e-r1", "locks/e/haproxy-state").contains("waiting build"));
            }
        } finally {
            pool.shutdownNow();
            dead.close();
        }
    }

    @Test
    void anInterruptedThreadStillReleasesTheLock() {
        EnvironmentLock lock = acquire("aborted build", Duration.ZERO);
        Thread.currentThread().interrupt(); // Jenkins interrupts an aborted step's thread
        try {
            assertTrue(lock.release(), "released although interrupted");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertNull(sandbox.kvLockHolder("e-r1", "locks/e/haproxy-state"));
        assertTrue(sandbox.sessions("e-r1").isEmpty());
    }

    @Test
    void aHolderWithControlCharactersIsShownSafely() {
        try (EnvironmentLock held = acquire("evil\nFAKE LOG LINE\u001b[31m", Duration.ZERO)) {
            EnvironmentLock.LockBusyException busy = assertThrows(EnvironmentLock.LockBusyException.class, () -> acquire("b", Duration.ZERO));
            assertTrue(busy.getMessage().contains("evil?FAKE LOG LINE?[31m"), busy.getMessage());
        }
    }

    @Test
    void concurrentHoldersAreSerialized() throws Exception {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (String who : List.of("A", "B")) {
                runs.add(pool.submit(() -> {
                    start.await();
                    try (EnvironmentLock lock = acquire(who, Duration.ofSeconds(20))) {
                        events.add(who + " in");
                        Thread.sleep(200); // hold the lock across a real interval so an overlap would show
                        events.add(who + " out");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) {
                run.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(4, events.size());
        assertEquals(events.get(0).charAt(0), events.get(1).charAt(0), "no interleaving: " + events);
        assertTrue(events.get(1).endsWith("out") && events.get(2).endsWith("in"), events.toString());
    }
}
