package io.infrasteps.plugin.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.plugin.haproxy.ConsulFleet;
import io.infrasteps.plugin.haproxy.FakeStepContext;
import io.infrasteps.plugin.haproxy.Seams;
import io.infrasteps.plugin.haproxy.SerializationCheck;
import io.infrasteps.sandbox.SandboxShard;
import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * waitHealthyShards as an asynchronous execution against the sandbox Consul: it returns within moments of the last
 * shard turning healthy, times out naming each unhealthy shard and why, keeps no token in its saved state, and
 * resumes after a (simulated) controller restart from its saved deadline and shard list.
 */
class WaitHealthyShardsSandboxTest {

    static final Duration PROMPT = Duration.ofSeconds(2);
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

    static WaitHealthyShardsStep step(Consumer<WaitHealthyShardsStep> args) {
        WaitHealthyShardsStep step = new WaitHealthyShardsStep();
        step.setSite(ConsulFleet.SITE);
        args.accept(step);
        return step;
    }

    static List<String> names() {
        return sandbox.shards().stream().map(SandboxShard::name).toList();
    }

    /** A shard per region, unhealthy. */
    static List<String> sick() {
        List<String> sick = List.of(names().get(0), names().get(2));
        sick.forEach(s -> sandbox.registrations.setHealthy(s, false));
        return sick;
    }

    static ShardExecutions.WaitExecution resume(byte[] saved, Seams seams) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(saved))) {
            return ((ShardExecutions.WaitExecution) in.readObject()).attach(seams);
        }
    }

    @Test
    void returnsWithinMomentsOfTheLastShardTurningHealthy() throws Throwable {
        List<String> sick = sick();
        FakeStepContext context = new FakeStepContext();
        ShardExecutions.WaitExecution execution = ShardExecutions.waiting(step(s -> s.setShards(names())), context, sandbox.seams());
        assertFalse(execution.start(), "asynchronous: start() returns at once");
        assertTrue(sandbox.consul.awaitBlockedQueries(2, Duration.ofSeconds(5)), "one blocking query per region; console:\n" + context.console());
        assertFalse(context.isDone());
        long requestsWhileWaiting = sandbox.consul.requestCount("/v1/health/service/signal");

        sandbox.registrations.setHealthy(sick.get(0), true);
        assertTrue(sandbox.consul.awaitBlockedQueries(2, Duration.ofSeconds(5)));
        assertFalse(context.isDone(), "one shard is still unhealthy");
        long flipped = System.nanoTime();
        sandbox.registrations.setHealthy(sick.get(1), true);
        HealthyShardsResult result = (HealthyShardsResult) context.await(PROMPT);
        long reaction = (System.nanoTime() - flipped) / 1_000_000;

        assertTrue(reaction < 1000, "returned " + reaction + " ms after the last shard turned healthy");
        assertEquals(names(), result.getShards());
        assertEquals(1, context.completions());
        assertTrue(sandbox.consul.requestCount("/v1/health/service/signal") - requestsWhileWaiting <= 6,
                "blocking queries, not polling: " + sandbox.consul.requests());
        List<String> lines = context.lines();
        assertEquals("waitHealthyShards: waiting up to 20 minutes for 4 shards of site 'sandbox' to be healthy in Consul", lines.get(0));
        assertTrue(lines.contains("[us-ashburn-1] " + sick.get(0) + ": healthy"), context.console());
        assertEquals("waitHealthyShards: all 4 shards are healthy", lines.get(lines.size() - 1));
        sandbox.assertTokenOnlyInHeaders();
        sandbox.assertNoToken("console", context.console());
    }

    @Test
    void aReleaseIsResolvedFromConsulAndSaved() throws Throwable {
        FakeStepContext context = new FakeStepContext();
        ShardExecutions.WaitExecution execution = ShardExecutions.waiting(step(s -> s.setRelease(sandbox.fleet.release())), context,
                sandbox.seams());
        assertNull(execution.savedShards());
        execution.start();
        HealthyShardsResult result = (HealthyShardsResult) context.await(PROMPT);
        assertEquals(names().stream().sorted((a, b) -> {
            // region order of ShardName: by region name, then number
            int byRegion = sandbox.fleet.shard(a).region().compareTo(sandbox.fleet.shard(b).region());
            return byRegion != 0 ? byRegion : Integer.compare(sandbox.fleet.shard(a).number(), sandbox.fleet.shard(b).number());
        }).toList(), result.getShards());
        assertEquals(result.getShards(), execution.savedShards());
        assertTrue(context.saves() >= 1, "the resolved shard list is saved with the program at once");
        assertTrue(context.lines().get(0).startsWith("waitHealthyShards: release 1 has 4 shards registered in Consul: "), context.console());

        FakeStepContext none = new FakeStepContext();
        ShardExecutions.waiting(step(s -> s.setRelease(99)), none, sandbox.seams()).start();
        Throwable failure = none.awaitFailure(PROMPT);
        assertTrue(failure.getMessage().startsWith("waitHealthyShards: release: has no shards registered in Consul for site 'sandbox'"),
                failure.getMessage());
    }

    @Test
    void aTimeoutNamesEachUnhealthyShardAndWhy() throws Exception {
        List<String> sick = sick();
        FakeStepContext context = new FakeStepContext();
        ShardExecutions.WaitExecution execution = ShardExecutions.waiting(step(s -> s.setShards(names())), context, sandbox.seams())
                .timeout(1500);
        execution.start();
        Throwable failure = context.awaitFailure(Duration.ofSeconds(10));
        assertInstanceOf(AbortException.class, failure);
        String message = failure.getMessage();
        assertTrue(message.startsWith("waitHealthyShards: timed out after 20 minutes; 2 of 4 shards are not healthy:"), message);
        for (String shard : sick) {
            assertTrue(message.contains("\n  " + shard + ": check 'signal-health' is critical (HTTP GET /about/health: 503 Service Unavailable)"),
                    message);
        }
        for (String shard : names()) {
            if (!sick.contains(shard)) {
                assertFalse(message.contains(shard), "healthy shards are not named: " + message);
            }
        }
        assertEquals(1, context.completions());
        sandbox.assertNoToken("failure", message);
    }

    @Test
    void anUnregisteredShardIsNamedAsSuch() {
        String shard = names().get(3);
        sandbox.consul.deregister(sandbox.datacenter(shard), "signal-" + shard);
        FakeStepContext context = new FakeStepContext();
        ShardExecutions.WaitExecution execution = null;
        try {
            execution = ShardExecutions.waiting(step(s -> s.setShards(List.of(shard))), context, sandbox.seams()).timeout(800);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        execution.start();
        String message = context.awaitFailure(Duration.ofSeconds(10)).getMessage();
        assertTrue(message.endsWith("\n  " + shard + ": not registered in Consul (service signal, datacenter " + sandbox.datacenter(shard) + ")"),
                message);
    }

    @Test
    void theSavedStateHoldsTheDeadlineShardsAndSiteButNoTokenAndResumesAfterARestart() throws Throwable {
        List<String> sick = sick();
        FakeStepContext context = new FakeStepContext();
        ShardExecutions.WaitExecution running = ShardExecutions.waiting(step(s -> s.setShards(names())), context, sandbox.seams());
        running.start();
        assertTrue(sandbox.consul.awaitBlockedQueries(2, Duration.ofSeconds(5)));

        // The program is saved while the step waits (Pipeline saves it on its own schedule)...
        byte[] saved = SerializationCheck.bytes(running);
        sandbox.assertNoToken("saved execution", saved);
        String text = new String(saved, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(text.contains(ConsulFleet.SITE) && text.contains(names().get(3)), "site reference and shard names are saved");
        assertFalse(text.contains("ConsulSite") || text.contains("ConsulClient") || text.contains("X-Consul-Token"));

        // ...then the controller goes away: this JVM's waiting thread ends with it, and the build's context is recreated.
        running.stop(new InterruptedException("controller shutting down"));
        FakeStepContext afterRestart = context.restarted();
        Seams seams = sandbox.seams();
        ShardExecutions.WaitExecution resumed = resume(saved, seams);
        assertEquals(running.deadlineMillis(), resumed.deadlineMillis(), "the absolute deadline is kept");
        assertEquals(names(), resumed.savedShards());
        assertSame(afterRestart, resumed.getContext(), "the saved context stands for the same step");

        resumed.onResume();
        afterRestart.awaitLine("waitHealthyShards: resumed after a restart; waiting up to ", Duration.ofSeconds(5));
        assertFalse(afterRestart.isDone(), "still waiting for the unhealthy shards");
        sick.forEach(s -> sandbox.registrations.setHealthy(s, true));
        HealthyShardsResult result = (HealthyShardsResult) afterRestart.await(PROMPT);
        assertEquals(names(), result.getShards());
        assertEquals(1, afterRestart.completions());
        assertEquals(List.of(ConsulFleet.TOKEN_ID), seams.secretLookups(), "the token is looked up again after the restart");
        sandbox.assertTokenOnlyInHeaders();
    }

    @Test
    void aDeadlinePassedWhileJenkinsWasDownEndsWithAFinalCheck() throws Throwable {
        String sickShard = sick().get(1);
        FakeStepContext context = new FakeStepContext();
        ShardExecutions.WaitExecution running = ShardExecutions.waiting(step(s -> s.setShards(names())), context, sandbox.seams());
        running.start();
        assertTrue(sandbox.consul.awaitBlockedQueries(2, Duration.ofSeconds(5)));
        byte[] saved = SerializationCheck.bytes(running);
        running.stop(new InterruptedException("controller shutting down"));

        // Down for 25 minutes: past the 20-minute deadline. One shard healed meanwhile, one did not.
        sandbox.registrations.setHealthy(sick().get(0), true);
        sandbox.registrations.setHealthy(sickShard, false);
        FakeStepContext afterRestart = context.restarted();
        ShardExecutions.WaitExecution resumed = resume(saved, sandbox.seams()).skew(Duration.ofMinutes(25).toMillis());
        resumed.onResume();
        Throwable failure = afterRestart.awaitFailure(Duration.ofSeconds(15));
        String message = failure.getMessage();
        assertTrue(message.startsWith("waitHealthyShards: the deadline (20 minutes) passed while Jenkins was down and after a final check "
                + "1 of 4 shards is not healthy:\n  " + sickShard + ": check 'signal-health' is critical"), message);
        assertTrue(afterRestart.lines().get(0).startsWith("waitHealthyShards: the deadline (20 minutes) passed while Jenkins was down; "
                + "taking a final look at 4 shards"), afterRestart.console());

        // The same restart, but everything healed while Jenkins was down: the final check passes.
        sandbox.registrations.setHealthy(sickShard, true);
        FakeStepContext again = afterRestart.restarted();
        resume(saved, sandbox.seams()).skew(Duration.ofMinutes(25).toMillis()).onResume();
        assertEquals(names(), ((HealthyShardsResult) again.await(Duration.ofSeconds(10))).getShards());
    }

    @Test
    void aSiteFileIsReadFromTheWorkspaceAgainAfterARestart(@TempDir Path workspace) throws Throwable {
        Files.createDirectories(workspace.resolve("sites"));
        Files.writeString(workspace.resolve("sites/sandbox.yaml"), sandbox.yaml);
        String sickShard = sick().get(0);
        FakeStepContext context = new FakeStepContext();
        WaitHealthyShardsStep step = new WaitHealthyShardsStep();
        step.setSiteFile("sites/sandbox.yaml");
        step.setShards(List.of(sickShard));
        ShardExecutions.WaitExecution running = ShardExecutions.waiting(step, context, sandbox.seams().workspace(workspace));
        running.start();
        context.awaitLine("waitHealthyShards: waiting up to 20 minutes for 1 shard of site 'sandbox' (sites/sandbox.yaml)", PROMPT);
        byte[] saved = SerializationCheck.bytes(running);
        assertTrue(new String(saved, java.nio.charset.StandardCharsets.ISO_8859_1).contains("sites/sandbox.yaml"), "the path is saved");
        assertFalse(new String(saved, java.nio.charset.StandardCharsets.ISO_8859_1).contains("localRegion"), "not the site's content");
        running.stop(new InterruptedException("controller shutting down"));

        FakeStepContext afterRestart = context.restarted();
        resume(saved, sandbox.seams().workspace(workspace)).onResume();
        afterRestart.awaitLine("waitHealthyShards: resumed after a restart; waiting up to ", PROMPT);
        sandbox.registrations.setHealthy(sickShard, true);
        assertEquals(List.of(sickShard), ((HealthyShardsResult) afterRestart.await(PROMPT)).getShards());

        FakeStepContext noWorkspace = afterRestart.restarted();
        resume(saved, sandbox.seams()).onResume();
        assertTrue(noWorkspace.awaitFailure(PROMPT).getMessage().startsWith("waitHealthyShards: siteFile: needs a workspace"));
    }

    @Test
    void stoppingCancelsTheWaitAtOnce() throws Throwable {
        sick();
        FakeStepContext context = new FakeStepContext();
        ShardExecutions.WaitExecution running = ShardExecutions.waiting(step(s -> s.setShards(names())), context, sandbox.seams());
        running.start();
        assertTrue(sandbox.consul.awaitBlockedQueries(2, Duration.ofSeconds(5)));
        InterruptedException abort = new InterruptedException("aborted by a user");
        long stopped = System.nanoTime();
        running.stop(abort);
        assertSame(abort, context.awaitFailure(Duration.ofSeconds(1)));
        assertTrue((System.nanoTime() - stopped) / 1_000_000 < 1000);
        Thread.sleep(300);
        assertEquals(1, context.completions(), "the cancelled wait does not complete the step a second time");
        assertTrue(running.getStatus().startsWith("waiting for 4 shards"), running.getStatus());
    }
}
