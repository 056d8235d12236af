package io.infrasteps.plugin.shard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.plugin.haproxy.ConsulFleet;
import io.infrasteps.plugin.haproxy.FakeSecretText;
import io.infrasteps.plugin.haproxy.FakeSshKey;
import io.infrasteps.plugin.haproxy.FakeStepContext;
import io.infrasteps.plugin.haproxy.Seams;
import io.infrasteps.plugin.haproxy.SerializationCheck;
import io.infrasteps.sandbox.SandboxShard;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * validateShard against real HAProxy processes, fake sidecars and the sandbox Consul (ACL token required), through
 * a fake step context: console lines, the returned report, the recorded shard-test entries and failures as a build
 * would see them.
 */
class ValidateShardSandboxTest {

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

    static ValidateShardStep step(Consumer<ValidateShardStep> args) {
        ValidateShardStep step = new ValidateShardStep();
        step.setSite(ConsulFleet.SITE);
        args.accept(step);
        return step;
    }

    static List<String> names() {
        return sandbox.shards().stream().map(SandboxShard::name).toList();
    }

    @Test
    void healthyShardsPassEveryCheckAndAreRecordedWithTheBuildNumber() throws Exception {
        FakeStepContext context = new FakeStepContext();
        Seams seams = sandbox.seams();
        ShardValidationResult result = ShardExecutions.validate(step(s -> s.setShards(names())), context, seams).runNow();

        assertTrue(result.isAllPassed(), result.toString());
        assertEquals(List.of(), result.getFailedShards());
        assertEquals(names(), result.getShards().stream().map(ShardValidationResult.Shard::getShard).toList());
        for (ShardValidationResult.Shard shard : result.getShards()) {
            assertTrue(shard.isPassed());
            assertEquals(List.of("consul", "sidecar", "haproxy", "state"),
                    shard.getChecks().stream().map(ShardValidationResult.Check::getName).toList());
            shard.getChecks().forEach(c -> assertTrue(c.isOk(), c.toString()));
            assertEquals("state ready", shard.getChecks().get(3).getReason());
            String record = sandbox.consul.kv(sandbox.datacenter(shard.getShard()), "shard-test/sandbox/" + shard.getShard());
            assertNotNull(record, "shard-test recorded for " + shard.getShard());
            assertTrue(record.contains("\"status\":\"passed\"") && record.contains("\"build_number\":\"17\""), record);
        }
        List<String> lines = context.lines();
        assertEquals("validateShard: validating 4 shards of site 'sandbox' against 2 proxies", lines.get(0));
        for (String shard : names()) {
            assertEquals(1, lines.stream().filter(l -> l.startsWith(shard + ": passed (")).count(), "one line per shard: " + lines);
        }
        assertEquals("validateShard: 4 of 4 passed; recorded in shard-test/sandbox/<shard> with build 17", lines.get(lines.size() - 1));
        assertEquals(6, lines.size(), context.console());
        assertEquals(List.of(ConsulFleet.TOKEN_ID), seams.secretLookups(), "the token credential is looked up once, by the site's id");
        sandbox.assertTokenOnlyInHeaders();
        sandbox.assertNoToken("console", context.console());
        sandbox.assertNoToken("result", SerializationCheck.bytes(result));
    }

    @Test
    void anUnhealthyShardFailsTheStepNamingItAndWhyUnlessTolerated() throws Exception {
        String sick = names().get(1);
        sandbox.registrations.setHealthy(sick, false);
        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class,
                () -> ShardExecutions.validate(step(s -> s.setShards(names())), context, sandbox.seams()).runNow());
        String message = e.getMessage();
        assertTrue(message.startsWith("validateShard: 1 of 4 shards failed: " + sick + "\n  " + sick + ": FAILED ("), message);
        assertTrue(message.contains("consul failed: check 'signal-health' is critical (HTTP GET /about/health: 503 Service Unavailable)"), message);
        assertTrue(message.contains("sidecar failed: GET http://127.0.0.1:") && message.contains("healthy is false"), message);
        assertTrue(message.endsWith("(tolerateFailures: true returns the report instead)"), message);
        assertTrue(context.lines().stream().anyMatch(l -> l.startsWith(sick + ": FAILED (")), context.console());
        String record = sandbox.consul.kv(sandbox.datacenter(sick), "shard-test/sandbox/" + sick);
        assertTrue(record.contains("\"status\":\"failed\""), record);

        FakeStepContext tolerant = new FakeStepContext();
        ShardValidationResult result = ShardExecutions.validate(step(s -> {
            s.setShards(names());
            s.setTolerateFailures(true);
        }), tolerant, sandbox.seams()).runNow();
        assertFalse(result.isAllPassed());
        assertEquals(List.of(sick), result.getFailedShards());
        ShardValidationResult.Shard failed = result.getShards().get(1);
        assertFalse(failed.isPassed());
        assertFalse(failed.getChecks().get(0).isOk());
        assertTrue(failed.getChecks().get(0).getReason().contains("critical"), failed.getChecks().get(0).getReason());
        assertTrue(tolerant.lines().get(tolerant.lines().size() - 1).endsWith("; failed (tolerated): " + sick), tolerant.console());
        SerializationCheck.roundTrip(result);
    }

    @Test
    void aMissingStateAndARemovedRegistrationAreReasons() throws Exception {
        String shard = names().get(2);
        String dc = sandbox.datacenter(shard);
        sandbox.consul.deregister(dc, "signal-" + shard);
        ShardValidationResult result = ShardExecutions.validate(step(s -> {
            s.setShards(List.of(shard));
            s.setTolerateFailures(true);
        }), new FakeStepContext(), sandbox.seams()).runNow();
        ShardValidationResult.Shard report = result.getShards().get(0);
        assertEquals("not registered in Consul (service signal, datacenter " + dc + ")", report.getChecks().get(0).getReason());
        assertEquals("no registration to find the sidecar from", report.getChecks().get(1).getReason());
    }

    @Test
    void shardsOfAnotherEnvironmentAreRejectedBeforeAnyCredentialOrNetwork() {
        Seams seams = sandbox.seams();
        AbortException e = assertThrows(AbortException.class, () -> ShardExecutions.validate(
                step(s -> s.setShards(List.of("prod-us-ashburn-1-s1"))), new FakeStepContext(), seams).runNow());
        assertTrue(e.getMessage().startsWith("validateShard: shards[0]: is not a shard of environment sandbox; allowed: sandbox-<region>-s<N>"),
                e.getMessage());
        e = assertThrows(AbortException.class, () -> ShardExecutions.validate(
                step(s -> s.setShards(List.of("sandbox-ap-tokyo-1-s1"))), new FakeStepContext(), seams).runNow());
        assertTrue(e.getMessage().startsWith("validateShard: shards[0]: does not name a region of the site"), e.getMessage());
        assertEquals(List.of(), seams.secretLookups());
        assertEquals(0, sandbox.consul.requestCount(), "nothing reached Consul");
    }

    @Test
    void theTokenCredentialMustBeSecretTextAndIsNamedWhenMissing() {
        Seams wrongType = sandbox.seams().credential(ConsulFleet.TOKEN_ID, new FakeSshKey(ConsulFleet.TOKEN_ID, "u", "pem"));
        AbortException e = assertThrows(AbortException.class, () -> ShardExecutions.validate(
                step(s -> s.setShards(names())), new FakeStepContext(), wrongType).runNow());
        assertEquals("validateShard: credentials.consulToken of site 'sandbox': credential '" + ConsulFleet.TOKEN_ID
                + "' is a FakeSshKey; allowed: the id of a 'Secret text' credential (StringCredentials, from the plain-credentials plugin)"
                + " holding the Consul ACL token", e.getMessage());

        Seams missing = new Seams().site(ConsulFleet.SITE, sandbox.yaml);
        e = assertThrows(AbortException.class, () -> ShardExecutions.validate(
                step(s -> s.setShards(names())), new FakeStepContext(), missing).runNow());
        assertTrue(e.getMessage().startsWith("validateShard: credentials.consulToken of site 'sandbox': no credential with id '"
                + ConsulFleet.TOKEN_ID + "' is available to this build; allowed: the id of a 'Secret text' credential"), e.getMessage());

        Seams empty = sandbox.seams().credential(ConsulFleet.TOKEN_ID, new FakeSecretText(ConsulFleet.TOKEN_ID, "  "));
        e = assertThrows(AbortException.class, () -> ShardExecutions.validate(
                step(s -> s.setShards(names())), new FakeStepContext(), empty).runNow());
        assertTrue(e.getMessage().contains("holds an empty secret"), e.getMessage());
        assertEquals(0, sandbox.consul.requestCount(), "nothing reached Consul without a usable token");
    }

    @Test
    void aWrongTokenIsRefusedByConsulAndNeverShown() {
        Seams wrong = sandbox.seams().credential(ConsulFleet.TOKEN_ID, new FakeSecretText(ConsulFleet.TOKEN_ID, "wrong-" + sandbox.token));
        FakeStepContext context = new FakeStepContext();
        AbortException e = assertThrows(AbortException.class, () -> ShardExecutions.validate(
                step(s -> {
                    s.setShards(names().subList(0, 1));
                    s.setTolerateFailures(true);
                }), context, wrong).runNow());
        assertTrue(e.getMessage().startsWith("validateShard: consul http://127.0.0.1:"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 403"), e.getMessage());
        sandbox.assertNoToken("error", e.getMessage());
        sandbox.assertNoToken("console", context.console());
        sandbox.assertTokenOnlyInHeaders();
    }

    @Test
    void aFifthOfConsulAnswersFailingIsRiddenOutByRetries() throws Exception {
        sandbox.consul.faults().seed(7).failRate(0.2, 503);
        try {
            ShardValidationResult result = ShardExecutions.validate(step(s -> s.setShards(names())), new FakeStepContext(),
                    sandbox.seams()).runNow();
            assertTrue(result.isAllPassed(), result.toString());
            assertTrue(sandbox.consul.faults().injected() > 0, "faults were injected");
        } finally {
            sandbox.consul.faults().clear();
        }
    }

    @Test
    void aSiteWithoutConsulIsNamed() {
        Seams noConsul = new Seams().site(ConsulFleet.SITE, sandbox.fleet.siteYaml(io.infrasteps.sandbox.SandboxFleet.Transport.TCP));
        AbortException e = assertThrows(AbortException.class, () -> ShardExecutions.validate(
                step(s -> s.setShards(names())), new FakeStepContext(), noConsul).runNow());
        assertTrue(e.getMessage().startsWith("validateShard: site: site 'sandbox' has no Consul endpoint; allowed: a site whose regions"),
                e.getMessage());
    }
}
