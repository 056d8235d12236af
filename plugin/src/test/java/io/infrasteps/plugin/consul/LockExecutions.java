package io.infrasteps.plugin.consul;

import hudson.AbortException;
import io.infrasteps.plugin.common.StepServices;
import io.infrasteps.plugin.haproxy.Seams;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** withEnvironmentLock's real execution with Jenkins services replaced by test seams. */
public final class LockExecutions {
    private LockExecutions() {
    }

    /** After start()'s argument checks; call {@code start()} on it to take the lock and run the context's body. */
    public static LockExecution lock(WithEnvironmentLockStep step, StepContext context, Seams seams) throws Exception {
        step.start(context);
        return new LockExecution(step, context, seams);
    }

    public static final class LockExecution extends WithEnvironmentLockStep.Execution {
        private static final long serialVersionUID = 1L;
        private transient Seams seams;

        LockExecution(WithEnvironmentLockStep step, StepContext context, Seams seams) throws AbortException {
            super(step.siteRef(), step.lockName(), step.waitSeconds(), step.ttlSeconds(), context);
            this.seams = seams;
        }

        public LockExecution attach(Seams s) {
            this.seams = s;
            return this;
        }

        @Override
        StepServices services() {
            return seams;
        }

        public String heldSession() {
            return session();
        }

        public boolean heldHere() {
            String s = session();
            return s != null && HeldLocks.isHeld(s);
        }
    }
}
