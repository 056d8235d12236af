package io.infrasteps.plugin.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.AbortException;
import io.infrasteps.engine.common.InvalidInputException;
import io.infrasteps.engine.consul.ConsulException;
import io.infrasteps.engine.haproxy.FleetChange;
import io.infrasteps.engine.haproxy.FleetOperationException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of the Jenkins side that need no Jenkins: the lock holder's text, failure translation, site references. */
class JenkinsStepServicesTest {

    @Test
    void theLockHolderIsOnePrintableBoundedLine() {
        assertEquals("build folder » job #12 (https://ci.example.com/job/folder/job/job/12/)",
                JenkinsStepServices.holderText("folder » job #12", "https://ci.example.com/job/folder/job/job/12/"));
        String forged = JenkinsStepServices.holderText("job #3\n[consul] lock released\u001b[2J", "job/x/3/");
        assertFalse(forged.contains("\n") || forged.contains("\u001b"), forged);
        String huge = JenkinsStepServices.holderText("x".repeat(10_000), "job/x/3/");
        assertEquals(JenkinsStepServices.MAX_HOLDER + 3, huge.length());
    }

    @Test
    void expectedFailuresBecomeMessagesNamingTheStep() {
        assertEquals("fn: site: is required; allowed: x",
                StepFailures.translate("fn", new InvalidInputException("site", "is required", "x")).getMessage());
        assertTrue(StepFailures.translate("fn", new ConsulException("consul http://h (datacenter d) GET /v1/kv key k: HTTP 500", 500, null))
                instanceof AbortException);
        assertTrue(StepFailures.translate("fn", new FleetOperationException(new FleetChange("drain x", List.of()))) instanceof AbortException);
        assertEquals("fn: lock held by a?b", StepFailures.translate("fn", new IllegalStateException("lock held by a\u001bb")).getMessage());
        assertEquals("fn: locked by forged?[x] line", StepFailures.oneLine("fn: locked by forged\n[x] line"));
        AbortException already = new AbortException("fn: done");
        assertEquals(already, StepFailures.translate("fn", already));
        assertEquals("fn: other", StepFailures.translate("fn", new AbortException("other")).getMessage());
        NullPointerException bug = new NullPointerException();
        assertEquals(bug, StepFailures.translate("fn", bug), "a bug keeps its stack trace");
    }

    @Test
    void aSiteReferenceIsOneOfANameOrAWorkspaceFile() {
        assertEquals("site stage", SiteRef.of("stage", null).toString());
        assertEquals("siteFile sites/s.yaml", SiteRef.of(null, "sites/s.yaml").toString());
        assertEquals("site, siteFile, siteYaml", assertThrows(InvalidInputException.class, () -> SiteRef.of(null, null)).field());
        assertEquals("site, siteFile", assertThrows(InvalidInputException.class, () -> SiteRef.of("a", "b.yaml")).field());
        assertEquals("siteFile", assertThrows(InvalidInputException.class, () -> SiteRef.of(null, "../x.yaml")).field());
    }
}
