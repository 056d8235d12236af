package io.infrasteps.plugin.consul;

import io.infrasteps.engine.common.Cancellation;
import io.infrasteps.engine.common.ProgressListener;
import io.infrasteps.engine.consul.ConsulSite;
import io.infrasteps.engine.consul.EnvironmentLock;
import io.infrasteps.engine.site.Region;
import io.infrasteps.engine.site.Site;
import io.infrasteps.plugin.common.ConsulAccess;
import io.infrasteps.plugin.common.StepServices;
import java.io.IOException;
import java.time.Duration;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * The per-environment lock every mutating step takes ({@code locks/<env>/haproxy-state}, in the Consul datacenter of
 * the site's local region), unless an enclosing {@code withEnvironmentLock} block of the same build holds it.
 */
public final class EnvironmentLocks {

    /** The lock of HAProxy and shard state changes and GA switches. */
    public static final String STATE_LOCK = "haproxy-state";
    /** Session TTL of a lock a step takes for one change (renewed at half of it while the change runs). */
    static final Duration STEP_TTL = Duration.ofSeconds(30);
    /** How long a nested step waits for its enclosing block to put its lock back after a restart. */
    static final Duration RESUME_WAIT = Duration.ofSeconds(30);

    private EnvironmentLocks() {
    }

    /**
     * The state lock of {@code site}'s environment for one change: borrowed from an enclosing block when it holds
     * it, else taken now without waiting (a busy lock fails naming its holder).
     */
    public static LockLease forChange(Site site, ConsulSite consul, StepContext context, StepServices services, String functionName,
            ProgressListener console, Cancellation cancellation) throws IOException, InterruptedException {
        String key = EnvironmentLock.key(site.name(), STATE_LOCK);
        EnvironmentLockContext enclosing = context.get(EnvironmentLockContext.class);
        EnvironmentLockContext.Held held = enclosing == null ? null : enclosing.find(key);
        if (held != null) {
            EnvironmentLock lock = HeldLocks.await(held.session(), RESUME_WAIT);
            if (lock == null || lock.isLost()) {
                throw new IllegalStateException("the enclosing withEnvironmentLock no longer holds lock " + key
                        + " (its session expired or was released); nothing was changed");
            }
            console.line(functionName + ": under lock " + key + " held by the enclosing withEnvironmentLock");
            return new LockLease(lock, false);
        }
        Region region = ConsulAccess.lockRegion(site);
        EnvironmentLock lock = EnvironmentLock.acquire(consul.client(region), region.datacenter(), site.name(), STATE_LOCK,
                services.lockHolder(), STEP_TTL, Duration.ZERO, cancellation);
        console.line(functionName + ": took lock " + key + " in " + region.datacenter());
        return new LockLease(lock, true);
    }
}
