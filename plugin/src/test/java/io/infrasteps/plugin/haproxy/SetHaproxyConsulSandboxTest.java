package io.infrasteps.plugin.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.consul.ConsulClient;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.consul.RetryPolicy;
import io.infrasteps.sandbox.RuntimeApiProbe;
import io.infrasteps.sandbox.SandboxProxy;
import io.infrasteps.sandbox.SandboxShard;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * setHaproxy on a site with Consul: shard state kept in KV with compare-and-set and applied on every proxy under the
 * environment lock; GA of a release refused on unhealthy shards unless forced, written in every datacenter and
 * swapped on every proxy; the token sent only as a header and never shown or saved.
 */
class SetHaproxyConsulSandboxTest {

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

    static SetHaproxyStep step(Consumer<SetHaproxyStep> args) {
        SetHaproxyStep step = new SetHaproxyStep();
        step.setSite(ConsulFleet.SITE);
        args.accept(step);
        return step;
    }

    static String stateOnProxies(String shard) throws Exception {
        HaproxyStatusStep status = new HaproxyStatusStep();
        status.setSite(ConsulFleet.SITE);
        status.start(new FakeStepContext());
        HaproxyStatusResult r = sandbox.seams().status(status, new FakeStepContext()).run();
        List<Object> states = r.serversNamed(shard).stream().map(m -> m.get("state")).distinct().toList();
        assertEquals(1, states.size(), r.serversNamed(shard).toString());
        return (String) states.get(0);
    }

    static String liveOn(SandboxProxy proxy) throws Exception {
        String map = RuntimeApiProbe.send(proxy.tcpAddress(), "show map " + proxy.liveMap());
        return map.lines().filter(l -> l.contains(" live ")).map(l -> l.substring(l.lastIndexOf(' ') + 1)).findFirst().orElse(null);
    }

    EnvironmentLock cliLock() {
        ConsulClient client = new ConsulClient(sandbox.consul.uri(), sandbox.token.toCharArray(), RetryPolicy.defaults(), Duration.ofSeconds(5));
        return EnvironmentLock.acquire(client, sandbox.lockDatacenter(), "sandbox", "haproxy-state", "cli bob@ops-host",
                Duration.ofSeconds(30), Duration.ZERO, Cancellation.create());
    }

    @Test
    void aShardStateIsWrittenToConsulWithCasAppliedEverywhereUnderTheLock() throws Exception {
        String shard = sandbox.shards().get(1).name();
        String dc = sandbox.datacenter(shard);
        FakeStepContext context = new FakeStepContext();
        HaproxyChangeResult result = sandbox.seams().runSet(step(s -> {
            s.setShard(shard);
            s.setState("drain");
        }), context);

        assertEquals("drain", sandbox.consul.kv(dc, "shard-states/sandbox/" + shard));
        assertEquals("drain", stateOnProxies(shard));
        assertTrue(result.isOk());
        assertEquals(2, result.getChangedCount());
        assertEquals(KEY, result.getLock());
        assertEquals(List.of(Map.of("datacenter", dc, "key", "shard-states/sandbox/" + shard, "result", "verified",
                "message", "shard-states/sandbox/" + shard + " = drain")), result.getDatacenters());
        List<String> lines = context.lines();
        assertEquals("setHaproxy: took lock " + KEY + " in " + sandbox.lockDatacenter(), lines.get(0));
        assertTrue(lines.contains("[consul " + dc + "] shard-states/sandbox/" + shard + ": ready -> drain"), context.console());
        assertNull(sandbox.consul.kvLockHolder(sandbox.lockDatacenter(), KEY), "the step's own lock is released");
        assertEquals(0, sandbox.consul.sessions(sandbox.lockDatacenter()).size());
        assertTrue(sandbox.consul.requests().stream().anyMatch(r -> r.startsWith("PUT /v1/kv/shard-states/sandbox/" + shard) && r.contains("cas=")),
                "written with compare-and-set: " + sandbox.consul.requests());

        HaproxyChangeResult again = sandbox.seams().runSet(step(s -> {
            s.setShard(shard);
            s.setState("drain");
        }), new FakeStepContext());
        assertEquals(0, again.getChangedCount(), "re-running converges");
        sandbox.seams().runSet(step(s -> {
            s.setShard(shard);
            s.setState("ready");
        }), new FakeStepContext());
        assertEquals("ready", sandbox.consul.kv(dc, "shard-states/sandbox/" + shard));
        assertEquals("ready", stateOnProxies(shard));
        sandbox.assertTokenOnlyInHeaders();
        sandbox.assertNoToken("console", context.console());
    }

    @Test
    void aBusyLockFailsNamingItsHolderAndChangesNothing() throws Exception {
        String shard = sandbox.shards().get(0).name();
        EnvironmentLock cli = cliLock();
        try {
            AbortException e = assertThrows(AbortException.class, () -> sandbox.seams().runSet(step(s -> {
                s.setShard(shard);
                s.setState("drain");
            }), new FakeStepContext()));
            assertTrue(e.getMessage().startsWith("setHaproxy: lock " + KEY + " is held by cli bob@ops-host since "), e.getMessage());
            assertEquals("ready", stateOnProxies(shard));
            assertEquals("ready", sandbox.consul.kv(sandbox.datacenter(shard), "shard-states/sandbox/" + shard));
        } finally {
            cli.close();
        }
    }

    @Test
    void consulShardStatesIgnoreNoRegionAndNeedAShardOfTheSite() {
        AbortException e = assertThrows(AbortException.class, () -> sandbox.seams().runSet(step(s -> {
            s.setRegions(List.of("us-ashburn-1"));
            s.setShard(sandbox.shards().get(0).name());
            s.setState("drain");
        }), new FakeStepContext()));
        assertTrue(e.getMessage().startsWith("setHaproxy: regions: does not apply to a shard's ready/drain state on site 'sandbox'"),
                e.getMessage());
        e = assertThrows(AbortException.class, () -> sandbox.seams().runSet(step(s -> {
            s.setShard("haproxy-stats");
            s.setState("drain");
        }), new FakeStepContext()));
        assertTrue(e.getMessage().startsWith("setHaproxy: shard: is not a shard of environment sandbox"), e.getMessage());
        assertEquals(0, sandbox.consul.requestCount(), "rejected before Consul is asked");
    }

    @Test
    void gaIsRefusedWhileAShardOfTheReleaseIsUnhealthyAndForcedGaWorks() throws Exception {
        List<SandboxShard> shards = sandbox.shards();
        for (SandboxShard shard : shards.subList(0, 2)) {
            sandbox.registrations.register(shard, 2, true);
        }
        sandbox.registrations.setHealthy(shards.get(1).name(), false);

        AbortException refused = assertThrows(AbortException.class, () -> sandbox.seams().runSet(step(s -> s.setLiveRelease(2)),
                new FakeStepContext()));
        assertEquals("setHaproxy: refusing to make release 2 GA: unhealthy shards [" + shards.get(1).name()
                + "] (wait for them, or use force: true)", refused.getMessage());
        for (String dc : sandbox.fleet.datacenters()) {
            assertNull(sandbox.consul.kv(dc, "releases/sandbox/live"), "nothing written when refused");
        }
        for (SandboxProxy proxy : sandbox.fleet.proxies()) {
            assertEquals("release-1", liveOn(proxy));
        }

        FakeStepContext context = new FakeStepContext();
        HaproxyChangeResult forced = sandbox.seams().runSet(step(s -> {
            s.setLiveRelease(2);
            s.setForce(true);
        }), context);
        assertTrue(forced.isOk());
        assertEquals(1, forced.getOperations().size());
        assertTrue(forced.getOperations().get(0).contains("release-2"), forced.getOperations().toString());
        assertEquals(2, forced.getDatacenters().size());
        for (Map<String, String> dc : forced.getDatacenters()) {
            assertEquals("changed", dc.get("result"), dc.toString());
            assertEquals("releases/sandbox/live", dc.get("key"));
            assertEquals("release-2", sandbox.consul.kv(dc.get("datacenter"), "releases/sandbox/live"));
        }
        for (SandboxProxy proxy : sandbox.fleet.proxies()) {
            assertEquals("release-2", liveOn(proxy));
        }
        assertEquals(2, forced.getChangedCount(), "the live map swapped on both proxies");
        assertTrue(context.lines().get(1).startsWith("setHaproxy: release 2 GA on 2 proxies of site 'sandbox' and in every Consul datacenter (force"),
                context.console());
        sandbox.assertNoToken("console", context.console());
    }

    @Test
    void gaOfAHealthyReleaseNeedsNoForceAndConverges() throws Exception {
        HaproxyChangeResult first = sandbox.seams().runSet(step(s -> s.setLiveRelease(1)), new FakeStepContext());
        assertEquals(List.of("changed", "changed"), first.getDatacenters().stream().map(d -> d.get("result")).toList());
        assertEquals("changed from (absent)", first.getDatacenters().get(0).get("message"));
        HaproxyChangeResult again = sandbox.seams().runSet(step(s -> s.setLiveRelease(1)), new FakeStepContext());
        assertEquals(List.of("unchanged", "unchanged"), again.getDatacenters().stream().map(d -> d.get("result")).toList());
        assertEquals(0, again.getChangedCount());
        assertEquals(2, again.getUnchangedCount());

        AbortException none = assertThrows(AbortException.class, () -> sandbox.seams().runSet(step(s -> s.setLiveRelease(77)),
                new FakeStepContext()));
        assertTrue(none.getMessage().startsWith("setHaproxy: release: has no shards registered in Consul for environment sandbox"),
                none.getMessage());
    }

    @Test
    void liveReleaseNeedsASiteWithConsul() {
        Seams noConsul = new Seams().site(ConsulFleet.SITE, sandbox.fleet.siteYaml(io.infrasteps.sandbox.SandboxFleet.Transport.TCP));
        AbortException e = assertThrows(AbortException.class, () -> noConsul.runSet(step(s -> s.setLiveRelease(1)), new FakeStepContext()));
        assertTrue(e.getMessage().startsWith("setHaproxy: liveRelease: site 'sandbox' has no Consul endpoint"), e.getMessage());
    }

    @Test
    void theExecutionAndResultHoldNoToken() throws Exception {
        String shard = sandbox.shards().get(3).name();
        SetHaproxyStep step = step(s -> {
            s.setShard(shard);
            s.setState("drain");
        });
        FakeStepContext context = new FakeStepContext();
        step.start(context);
        SetHaproxyStep.Execution execution = sandbox.seams().set(step, context);
        HaproxyChangeResult result = execution.run();
        sandbox.assertNoToken("saved execution", SerializationCheck.bytes(execution));
        sandbox.assertNoToken("saved result", SerializationCheck.bytes(result));
        sandbox.assertNoToken("result", result.toString() + result.getOutcomes() + result.getDatacenters());
        sandbox.assertNoToken("console", context.console());
        sandbox.assertNoToken("displayed arguments", String.valueOf(new SetHaproxyStep.DescriptorImpl().argumentsToString(
                Map.of("site", "sandbox", "shard", shard, "state", "drain"))));
        sandbox.assertTokenOnlyInHeaders();
        assertTrue(sandbox.consul.requestCount() > 0);
    }
}
