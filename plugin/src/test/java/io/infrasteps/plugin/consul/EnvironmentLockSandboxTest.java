package io.infrasteps.plugin.consul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.consul.ConsulClient;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.consul.RetryPolicy;
import io.infrasteps.plugin.haproxy.ConsulFleet;
import io.infrasteps.plugin.haproxy.FakeStepContext;
import io.infrasteps.plugin.haproxy.HaproxyChangeResult;
import io.infrasteps.plugin.haproxy.Seams;
import io.infrasteps.plugin.haproxy.SerializationCheck;
import io.infrasteps.plugin.haproxy.SetHaproxyStep;
import io.infrasteps.sandbox.SandboxShard;
import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * withEnvironmentLock against the sandbox Consul: the lock is held exactly while the block runs and released on
 * success, failure and abort; a busy lock names its holder; nested steps run under the block's lock instead of
 * waiting for themselves; and the lock survives a (simulated) controller restart, or stops the block when lost.
 */
class EnvironmentLockSandboxTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final String KEY = "locks/sandbox/haproxy-state";
    static ConsulFleet sandbox;

    @BeforeAll
    static void start() {
        sandbox = ConsulFleet.start();
    }

    @AfterAll
    static void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    static WithEnvironmentLockStep step(Consumer<WithEnvironmentLockStep> args) {
        WithEnvironmentLockStep step = new WithEnvironmentLockStep();
        step.setSite(ConsulFleet.SITE);
        args.accept(step);
        return step;
    }

    String holderOfKey() {
        return sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), KEY);
    }

    void assertReleased() throws InterruptedException {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (holderOfKey() != null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertNull(holderOfKey(), "the lock is released");
        assertEquals(0, sandbox.consul.sessions(sandbox.lockDatacenter()).size(), "the session is destroyed");
    }

    /** Another holder, as the CLI would take the lock. */
    EnvironmentLock cliLock() {
        ConsulClient client = new ConsulClient(sandbox.consul.uri(), sandbox.token.toCharArray(), RetryPolicy.defaults(), Duration.ofSeconds(5));
        return EnvironmentLock.acquire(client, sandbox.lockDatacenter(), "sandbox", "haproxy-state", "cli alice@ops-host",
                Duration.ofSeconds(30), Duration.ZERO, Cancellation.create());
    }

    @Test
    void theBlockRunsHoldingTheLockAndItIsReleasedAfterwards() throws Throwable {
        String[] heldDuringBody = new String[1];
        FakeStepContext context = new FakeStepContext().withBody(body -> {
            heldDuringBody[0] = holderOfKey();
            assertNotNull(body.get(EnvironmentLockContext.class), "the block finds the lock in its context");
            return "block result";
        });
        LockExecutions.LockExecution execution = LockExecutions.lock(step(s -> { }), context, sandbox.seams());
        assertFalse(execution.start());
        assertEquals("block result", context.await(LIMIT), "the step returns what the block returns");
        assertNotNull(heldDuringBody[0], "the lock was held while the block ran");
        assertEquals(execution.heldSession(), heldDuringBody[0]);
        assertReleased();
        assertEquals(1, context.completions());
        assertEquals(java.util.List.of(
                "withEnvironmentLock: taking lock " + KEY + " in " + sandbox.lockDatacenter(),
                "withEnvironmentLock: holding lock " + KEY + " in " + sandbox.lockDatacenter(),
                "withEnvironmentLock: released lock " + KEY), context.lines());
        sandbox.assertTokenOnlyInHeaders();
        sandbox.assertNoToken("console", context.console());
    }

    @Test
    void aFailingBlockReleasesTheLockAndFailsWithItsError() throws Throwable {
        IllegalStateException boom = new IllegalStateException("the block failed");
        FakeStepContext context = new FakeStepContext().withBody(body -> {
            throw boom;
        });
        LockExecutions.lock(step(s -> { }), context, sandbox.seams()).start();
        assertSame(boom, context.awaitFailure(LIMIT));
        assertReleased();
    }

    @Test
    void abortingTheBlockReleasesTheLock() throws Throwable {
        CountDownLatch entered = new CountDownLatch(1);
        FakeStepContext context = new FakeStepContext().withBody(body -> {
            entered.countDown();
            new CountDownLatch(1).await(); // runs until interrupted
            return null;
        });
        LockExecutions.LockExecution execution = LockExecutions.lock(step(s -> { }), context, sandbox.seams());
        execution.start();
        assertTrue(entered.await(10, TimeUnit.SECONDS), context.console());
        assertNotNull(holderOfKey());
        InterruptedException abort = new InterruptedException("aborted by alice");
        execution.stop(abort);
        assertSame(abort, context.awaitFailure(LIMIT), "the block fails with the abort's cause");
        assertReleased();
        assertTrue(context.lines().contains("withEnvironmentLock: released lock " + KEY), context.console());
    }

    @Test
    void aBusyLockFailsNamingItsHolderOrIsWaitedFor() throws Throwable {
        EnvironmentLock cli = cliLock();
        try {
            boolean[] ran = new boolean[1];
            FakeStepContext context = new FakeStepContext().withBody(body -> ran[0] = true);
            LockExecutions.lock(step(s -> { }), context, sandbox.seams()).start();
            Throwable failure = context.awaitFailure(LIMIT);
            assertInstanceOf(AbortException.class, failure);
            assertTrue(failure.getMessage().startsWith("withEnvironmentLock: lock " + KEY + " is held by cli alice@ops-host since 20"),
                    failure.getMessage());
            assertFalse(ran[0], "the block did not run");
            assertEquals(cli.session(), holderOfKey(), "the other holder keeps it");
        } finally {
            cli.close();
        }

        EnvironmentLock again = cliLock();
        FakeStepContext waiting = new FakeStepContext().withBody(body -> "got it");
        LockExecutions.lock(step(s -> s.setWaitSeconds(20)), waiting, sandbox.seams()).start();
        waiting.awaitLine("withEnvironmentLock: taking lock " + KEY + " in " + sandbox.lockDatacenter() + " (waiting up to 20 s)", LIMIT);
        Thread.sleep(300);
        assertFalse(waiting.isDone(), "waits while the lock is busy");
        long released = System.nanoTime();
        again.close();
        assertEquals("got it", waiting.await(LIMIT));
        assertTrue((System.nanoTime() - released) / 1_000_000 < 2000, "takes the lock as soon as it is free");
        assertReleased();
    }

    @Test
    void aHolderTextWrittenByAnotherClientCannotForgeConsoleLines() throws Throwable {
        ConsulClient client = new ConsulClient(sandbox.consul.uri(), sandbox.token.toCharArray(), RetryPolicy.defaults(), Duration.ofSeconds(5));
        EnvironmentLock forged = EnvironmentLock.acquire(client, sandbox.lockDatacenter(), "sandbox", "haproxy-state",
                "mallory\nwithEnvironmentLock: released lock " + KEY + "\u001b[2J", Duration.ofSeconds(30), Duration.ZERO, Cancellation.create());
        try {
            FakeStepContext context = new FakeStepContext().withBody(body -> "never");
            LockExecutions.lock(step(s -> { }), context, sandbox.seams()).start();
            String message = context.awaitFailure(LIMIT).getMessage();
            assertTrue(message.startsWith("withEnvironmentLock: lock " + KEY + " is held by mallory?withEnvironmentLock: released lock"), message);
            assertFalse(message.contains("\n") || message.contains("\u001b"), message);
        } finally {
            forged.close();
        }
    }

    @Test
    void nestedStepsRunUnderTheBlocksLockInsteadOfWaitingForThemselves() throws Throwable {
        String shard = sandbox.shards().get(1).name();
        Seams seams = sandbox.seams();
        HaproxyChangeResult[] nested = new HaproxyChangeResult[1];
        String[] innerResult = new String[1];
        FakeStepContext context = new FakeStepContext().withBody(body -> {
            SetHaproxyStep drain = new SetHaproxyStep();
            drain.setSite(ConsulFleet.SITE);
            drain.setShard(shard);
            drain.setState("drain");
            nested[0] = seams.runSet(drain, body);
            // a nested block of the same lock runs under it too
            FakeStepContext innerStep = new FakeStepContext().withBody(inner -> "inner ran");
            innerStep.with(EnvironmentLockContext.class, body.get(EnvironmentLockContext.class));
            LockExecutions.lock(step(s -> { }), innerStep, seams).start();
            try {
                innerResult[0] = (String) innerStep.await(LIMIT);
            } catch (Throwable t) {
                throw new AssertionError("the nested block failed", t);
            }
            return "outer done";
        });
        LockExecutions.lock(step(s -> { }), context, seams).start();
        assertEquals("outer done", context.await(LIMIT));
        assertEquals("inner ran", innerResult[0]);
        assertTrue(nested[0].isOk());
        assertEquals(KEY, nested[0].getLock());
        assertEquals("drain", sandbox.consul.kv(sandbox.datacenter(shard), "shard-states/sandbox/" + shard));
        assertTrue(context.lines().contains("setHaproxy: under lock " + KEY + " held by the enclosing withEnvironmentLock"), context.console());
        assertReleased();
    }

    @Test
    void theLockSurvivesARestartWhileItsSessionLives() throws Throwable {
        CountDownLatch finish = new CountDownLatch(1);
        FakeStepContext context = new FakeStepContext().withBody(body -> {
            finish.await();
            return "finished after the restart";
        });
        LockExecutions.LockExecution running = LockExecutions.lock(step(s -> { }), context, sandbox.seams());
        running.start();
        context.awaitLine("withEnvironmentLock: holding lock", LIMIT);
        String session = running.heldSession();
        byte[] saved = SerializationCheck.bytes(running);
        sandbox.assertNoToken("saved execution", saved);
        assertTrue(new String(saved, java.nio.charset.StandardCharsets.ISO_8859_1).contains(session), "the session id is saved to resume");

        FakeStepContext afterRestart = context.restarted();
        LockExecutions.LockExecution resumed = read(saved).attach(sandbox.seams());
        resumed.onResume();
        afterRestart.awaitLine("withEnvironmentLock: lock " + KEY + " is still held after the restart", LIMIT);
        assertEquals(session, holderOfKey());
        finish.countDown();
        assertEquals("finished after the restart", afterRestart.await(LIMIT));
        assertReleased();
    }

    @Test
    void aLockLostDuringTheRestartStopsTheBlock() throws Throwable {
        CountDownLatch never = new CountDownLatch(1);
        FakeStepContext context = new FakeStepContext().withBody(body -> {
            never.await();
            return null;
        });
        LockExecutions.LockExecution running = LockExecutions.lock(step(s -> { }), context, sandbox.seams());
        running.start();
        context.awaitLine("withEnvironmentLock: holding lock", LIMIT);
        byte[] saved = SerializationCheck.bytes(running);
        assertTrue(sandbox.consul.expireSession(sandbox.lockDatacenter(), running.heldSession()), "the TTL ran out while Jenkins was down");
        EnvironmentLock other = cliLock();
        try {
            FakeStepContext afterRestart = context.restarted();
            read(saved).attach(sandbox.seams()).onResume();
            Throwable failure = afterRestart.awaitFailure(LIMIT);
            assertTrue(failure.getMessage().startsWith("withEnvironmentLock: could not keep lock " + KEY + " across the restart: lock "
                    + KEY + " was lost while Jenkins restarted: its session expired; the block was stopped"), failure.getMessage());
            assertEquals(other.session(), holderOfKey(), "the new holder keeps the lock");
        } finally {
            other.close();
        }
    }

    @Test
    void stoppingWhileWaitingForTheLockNeverRunsTheBlock() throws Throwable {
        EnvironmentLock cli = cliLock();
        try {
            boolean[] ran = new boolean[1];
            FakeStepContext context = new FakeStepContext().withBody(body -> ran[0] = true);
            LockExecutions.LockExecution execution = LockExecutions.lock(step(s -> s.setWaitSeconds(60)), context, sandbox.seams());
            execution.start();
            context.awaitLine("withEnvironmentLock: taking lock", LIMIT);
            InterruptedException abort = new InterruptedException("aborted while waiting");
            execution.stop(abort);
            assertSame(abort, context.awaitFailure(LIMIT));
            long deadline = System.nanoTime() + LIMIT.toNanos();
            while (sandbox.consul.sessions(sandbox.lockDatacenter()).size() > 1 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(java.util.List.of(cli.session()), sandbox.consul.sessions(sandbox.lockDatacenter()),
                    "the waiting step's session is destroyed");
            Thread.sleep(200);
            assertFalse(ran[0]);
            assertEquals(1, context.completions());
            assertEquals(cli.session(), holderOfKey());
        } finally {
            cli.close();
        }
    }

    static LockExecutions.LockExecution read(byte[] saved) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(saved))) {
            return (LockExecutions.LockExecution) in.readObject();
        }
    }

    @Test
    void aStepsOwnLockIsReleasedEvenFromAnInterruptedThread() throws Throwable {
        LockLease lease = new LockLease(cliLock(), true);
        assertNotNull(holderOfKey());
        Thread.currentThread().interrupt(); // as Jenkins interrupts an aborted step's thread
        try {
            lease.close();
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        assertReleased();
    }

    @Test
    void lockNamesAreKeysOfTheEnvironment() throws Throwable {
        FakeStepContext context = new FakeStepContext().withBody(body -> sandbox.consul.kvLockHolder(sandbox.lockDatacenter(),
                "locks/sandbox/release-train"));
        LockExecutions.lock(step(s -> s.setLock("release-train")), context, sandbox.seams()).start();
        assertNotNull(context.await(LIMIT), "locks/<env>/<lock> was held during the block");
        assertNull(sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), "locks/sandbox/release-train"));
        assertTrue(SandboxShard.class.isInstance(sandbox.shards().get(0)));
    }
}
