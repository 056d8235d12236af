package io.infrasteps.plugin.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.FilePath;
import io.infrasteps.plugin.consul.EnvironmentLockContext;
import io.infrasteps.plugin.consul.LockExecutions;
import io.infrasteps.plugin.consul.WithEnvironmentLockStep;
import io.infrasteps.plugin.haproxy.ConsulFleet;
import io.infrasteps.plugin.haproxy.FakeStepContext;
import io.infrasteps.plugin.haproxy.HaproxyChangeResult;
import io.infrasteps.plugin.haproxy.HaproxyStatusResult;
import io.infrasteps.plugin.haproxy.HaproxyStatusStep;
import io.infrasteps.plugin.haproxy.Seams;
import io.infrasteps.plugin.haproxy.SerializationCheck;
import io.infrasteps.plugin.haproxy.SetHaproxyStep;
import io.infrasteps.sandbox.SandboxShard;
import java.io.ByteArrayInputStream;
import java.io.ObjectInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every step that takes a site, given the site as {@code siteYaml} (its text, as a shared library's
 * {@code libraryResource} returns it), end to end against the sandbox: real HAProxy processes, fake shard sidecars
 * and the sandbox Consul with an ACL token. The fake step context has no workspace (as outside {@code node { }}) and
 * Jenkins has no configured site: every step must work from the text alone, also after a controller restart.
 */
class SiteYamlStepsSandboxTest {

    static final Duration LIMIT = Duration.ofSeconds(10);
    static final String KEY = "locks/sandbox/haproxy-state";
    static ConsulFleet sandbox;
    /** Jenkins as these builds see it: the token credential, no configured site, no workspace. */
    Seams jenkins;

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
        jenkins = sandbox.seamsWithoutSites();
    }

    /** Nothing asked for a workspace or a configured site. */
    @AfterEach
    void neitherWorkspaceNorConfiguredSite() {
        assertEquals(0, jenkins.workspaceUses(), "no step asked for a workspace");
        assertEquals(0, jenkins.siteLookups(), "no step looked a configured site up");
    }

    /** A context like a Pipeline step's outside node { }: no FilePath. */
    static FakeStepContext noWorkspace() {
        FakeStepContext context = new FakeStepContext();
        assertNull(context.get(FilePath.class));
        return context;
    }

    static List<String> names() {
        return sandbox.shards().stream().map(SandboxShard::name).toList();
    }

    @Test
    void haproxyStatusReadsEveryProxyOfTheSiteText() throws Exception {
        FakeStepContext context = noWorkspace();
        HaproxyStatusStep step = new HaproxyStatusStep();
        step.setSiteYaml(sandbox.yaml);
        HaproxyStatusResult result = jenkins.runStatus(step, context);
        assertTrue(result.isOk());
        assertEquals(2, result.getProxies().size());
        assertEquals(16, result.getServers().size());
        assertEquals("haproxyStatus: reading 2 proxies of site 'sandbox' (siteYaml)", context.lines().get(0));
        assertEquals("haproxyStatus: 16 servers on 2 of 2 proxies", context.lines().get(context.lines().size() - 1));

        FakeStepContext oneRegion = noWorkspace();
        HaproxyStatusStep narrowed = new HaproxyStatusStep();
        narrowed.setSiteYaml(sandbox.yaml);
        narrowed.setRegions(List.of(sandbox.fleet.regions().get(1)));
        assertEquals(1, jenkins.runStatus(narrowed, oneRegion).getProxies().size());
        assertEquals("haproxyStatus: reading 1 proxy of site 'sandbox' (siteYaml) in " + sandbox.fleet.regions().get(1),
                oneRegion.lines().get(0));
        sandbox.assertNoToken("console", context.console());
    }

    @Test
    void setHaproxyKeepsTheShardStateInConsulUnderTheLock() throws Exception {
        String shard = names().get(1);
        String dc = sandbox.datacenter(shard);
        FakeStepContext context = noWorkspace();
        SetHaproxyStep drain = new SetHaproxyStep();
        drain.setSiteYaml(sandbox.yaml);
        drain.setShard(shard);
        drain.setState("drain");
        HaproxyChangeResult result = jenkins.runSet(drain, context);
        assertTrue(result.isOk());
        assertEquals(2, result.getChangedCount());
        assertEquals(KEY, result.getLock());
        assertEquals("drain", sandbox.consul.kv(dc, "shard-states/sandbox/" + shard));
        assertTrue(context.lines().contains("setHaproxy: drain shard " + shard + " on 2 proxies of site 'sandbox' (siteYaml) and in Consul"),
                context.console());
        assertNull(sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), KEY), "the step's own lock is released");

        SetHaproxyStep ready = new SetHaproxyStep();
        ready.setSiteYaml(sandbox.yaml);
        ready.setShard(shard);
        ready.setState("ready");
        assertTrue(jenkins.runSet(ready, noWorkspace()).isOk());
        assertEquals("ready", sandbox.consul.kv(dc, "shard-states/sandbox/" + shard));
        sandbox.assertTokenOnlyInHeaders();
        sandbox.assertNoToken("console", context.console());
    }

    @Test
    void validateShardChecksAndRecordsEveryShard() throws Exception {
        FakeStepContext context = noWorkspace();
        ValidateShardStep step = new ValidateShardStep();
        step.setSiteYaml(sandbox.yaml);
        step.setShards(names());
        ShardValidationResult result = ShardExecutions.validate(step, context, jenkins).runNow();
        assertTrue(result.isAllPassed(), result.toString());
        assertEquals("validateShard: validating 4 shards of site 'sandbox' (siteYaml) against 2 proxies", context.lines().get(0));
        for (String shard : names()) {
            String record = sandbox.consul.kv(sandbox.datacenter(shard), "shard-test/sandbox/" + shard);
            assertTrue(record != null && record.contains("\"status\":\"passed\""), shard + ": " + record);
        }
        assertEquals(List.of(ConsulFleet.TOKEN_ID), jenkins.secretLookups());
        sandbox.assertNoToken("console", context.console());
    }

    @Test
    void waitHealthyShardsWaitsAndResumesAfterARestartFromTheSavedText() throws Throwable {
        List<String> sick = List.of(names().get(0), names().get(2));
        sick.forEach(s -> sandbox.registrations.setHealthy(s, false));
        FakeStepContext context = noWorkspace();
        WaitHealthyShardsStep step = new WaitHealthyShardsStep();
        step.setSiteYaml(sandbox.yaml);
        step.setShards(names());
        ShardExecutions.WaitExecution running = ShardExecutions.waiting(step, context, jenkins);
        assertFalse(running.start(), "asynchronous");
        context.awaitLine("waitHealthyShards: waiting up to 20 minutes for 4 shards of site 'sandbox' (siteYaml) to be healthy", LIMIT);
        assertTrue(sandbox.consul.awaitBlockedQueries(2, Duration.ofSeconds(5)), context.console());

        // The program is saved while the step waits: the site's text is part of it (credential ids only), the token is not.
        byte[] saved = SerializationCheck.bytes(running);
        sandbox.assertNoToken("saved execution", saved);
        String text = new String(saved, StandardCharsets.UTF_8);
        assertTrue(text.contains("consulToken: " + ConsulFleet.TOKEN_ID) && text.contains(sandbox.consul.uri().toString()),
                "the site YAML is saved with the execution");
        running.stop(new InterruptedException("controller shutting down"));

        // After the restart: a new context, still no workspace and no configured site.
        FakeStepContext afterRestart = context.restarted();
        assertNull(afterRestart.get(FilePath.class));
        Seams restarted = sandbox.seamsWithoutSites();
        ShardExecutions.WaitExecution resumed;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(saved))) {
            resumed = ((ShardExecutions.WaitExecution) in.readObject()).attach(restarted);
        }
        assertSame(afterRestart, resumed.getContext());
        assertEquals(running.deadlineMillis(), resumed.deadlineMillis());
        resumed.onResume();
        afterRestart.awaitLine("waitHealthyShards: resumed after a restart; waiting up to ", LIMIT);
        assertTrue(afterRestart.console().contains("shards of site 'sandbox' (siteYaml)"), afterRestart.console());
        assertFalse(afterRestart.isDone());
        sick.forEach(s -> sandbox.registrations.setHealthy(s, true));
        HealthyShardsResult result = (HealthyShardsResult) afterRestart.await(LIMIT);
        assertEquals(names(), result.getShards());
        assertEquals(1, afterRestart.completions());
        assertEquals(0, restarted.workspaceUses(), "resuming needs no workspace");
        assertEquals(0, restarted.siteLookups(), "nor a configured site");
        assertEquals(List.of(ConsulFleet.TOKEN_ID), restarted.secretLookups(), "the token is looked up again after the restart");
        sandbox.assertTokenOnlyInHeaders();
    }

    @Test
    void waitHealthyShardsResolvesAReleaseFromTheSiteText() throws Throwable {
        FakeStepContext context = noWorkspace();
        WaitHealthyShardsStep step = new WaitHealthyShardsStep();
        step.setSiteYaml(sandbox.yaml);
        step.setRelease(sandbox.fleet.release());
        ShardExecutions.waiting(step, context, jenkins).start();
        HealthyShardsResult result = (HealthyShardsResult) context.await(LIMIT);
        assertEquals(4, result.getShards().size());
        assertTrue(context.lines().get(0).startsWith("waitHealthyShards: release 1 has 4 shards registered in Consul"), context.console());
    }

    @Test
    void withEnvironmentLockRunsItsBlockAndNestedStepsUnderTheLock() throws Throwable {
        String shard = names().get(3);
        HaproxyChangeResult[] nested = new HaproxyChangeResult[1];
        String[] holderDuringBlock = new String[1];
        FakeStepContext context = noWorkspace().withBody(body -> {
            assertNotNull(body.get(EnvironmentLockContext.class), "the block finds the lock in its context");
            holderDuringBlock[0] = sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), KEY);
            SetHaproxyStep drain = new SetHaproxyStep();
            drain.setSiteYaml(sandbox.yaml);
            drain.setShard(shard);
            drain.setState("drain");
            nested[0] = jenkins.runSet(drain, body);
            return "block done";
        });
        WithEnvironmentLockStep step = new WithEnvironmentLockStep();
        step.setSiteYaml(sandbox.yaml);
        LockExecutions.LockExecution execution = LockExecutions.lock(step, context, jenkins);
        assertFalse(execution.start(), "asynchronous");
        assertEquals("block done", context.await(LIMIT));
        assertEquals(execution.heldSession(), holderDuringBlock[0], "the lock was held while the block ran");
        assertTrue(nested[0].isOk());
        assertEquals(KEY, nested[0].getLock());
        assertEquals("drain", sandbox.consul.kv(sandbox.datacenter(shard), "shard-states/sandbox/" + shard));
        List<String> lines = context.lines();
        assertEquals("withEnvironmentLock: taking lock " + KEY + " in " + sandbox.lockDatacenter(), lines.get(0));
        assertTrue(lines.contains("setHaproxy: under lock " + KEY + " held by the enclosing withEnvironmentLock"), context.console());
        assertEquals("withEnvironmentLock: released lock " + KEY, lines.get(lines.size() - 1));
        assertNull(sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), KEY));
        sandbox.assertNoToken("console", context.console());
    }

    @Test
    void withEnvironmentLockKeepsItsLockAcrossARestartFromTheSavedText() throws Throwable {
        CountDownLatch finish = new CountDownLatch(1);
        FakeStepContext context = noWorkspace().withBody(body -> {
            finish.await();
            return "finished after the restart";
        });
        WithEnvironmentLockStep step = new WithEnvironmentLockStep();
        step.setSiteYaml(sandbox.yaml);
        LockExecutions.LockExecution running = LockExecutions.lock(step, context, jenkins);
        running.start();
        context.awaitLine("withEnvironmentLock: holding lock " + KEY, LIMIT);
        String session = running.heldSession();
        byte[] saved = SerializationCheck.bytes(running);
        sandbox.assertNoToken("saved execution", saved);

        FakeStepContext afterRestart = context.restarted();
        Seams restarted = sandbox.seamsWithoutSites();
        LockExecutions.LockExecution resumed;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(saved))) {
            resumed = ((LockExecutions.LockExecution) in.readObject()).attach(restarted);
        }
        resumed.onResume();
        afterRestart.awaitLine("withEnvironmentLock: lock " + KEY + " is still held after the restart", LIMIT);
        assertEquals(session, sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), KEY));
        finish.countDown();
        assertEquals("finished after the restart", afterRestart.await(LIMIT));
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), KEY) != null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertNull(sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), KEY), "released at the end of the block");
        assertEquals(0, restarted.workspaceUses());
        assertEquals(0, restarted.siteLookups());
    }
}
