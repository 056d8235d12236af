package io.infrasteps.plugin.shard;

import io.infrasteps.plugin.common.SiteRef;
import io.infrasteps.plugin.common.StepServices;
import io.infrasteps.plugin.haproxy.Seams;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/** The real executions of the shard steps with Jenkins services replaced by test seams. */
final class ShardExecutions {
    private ShardExecutions() {
    }

    /** validateShard as Jenkins runs it: start()'s argument checks, then the execution. */
    static ValidateExecution validate(ValidateShardStep step, StepContext context, Seams seams) throws Exception {
        step.start(context);
        return new ValidateExecution(step, step.siteRef(), context, seams);
    }

    /** waitHealthyShards after start()'s argument checks; call {@code start()} on it to begin waiting. */
    static WaitExecution waiting(WaitHealthyShardsStep step, StepContext context, Seams seams) throws Exception {
        step.start(context);
        return new WaitExecution(step.siteRef(), step, context, seams);
    }

    static final class ValidateExecution extends ValidateShardStep.Execution {
        private static final long serialVersionUID = 1L;
        private final transient Seams seams;

        ValidateExecution(ValidateShardStep step, SiteRef site, StepContext context, Seams seams) {
            super(step, site, context);
            this.seams = seams;
        }

        @Override
        StepServices services() {
            return seams;
        }

        ShardValidationResult runNow() throws Exception {
            return run();
        }
    }

    /** Serializable like the real one; after reading it back, {@link #attach} the seams as Jenkins would supply its services. */
    static final class WaitExecution extends WaitHealthyShardsStep.Execution {
        private static final long serialVersionUID = 1L;
        private transient Seams seams;
        private transient volatile long skewMillis;
        private transient volatile long timeoutMillis;

        WaitExecution(SiteRef site, WaitHealthyShardsStep step, StepContext context, Seams seams) {
            super(site, step.shards(), step.release(), step.timeoutMinutes(), context);
            this.seams = seams;
        }

        WaitExecution attach(Seams s) {
            this.seams = s;
            return this;
        }

        /** Moves this execution's clock (e.g. past the deadline, as if Jenkins had been down that long). */
        WaitExecution skew(long millis) {
            this.skewMillis = millis;
            return this;
        }

        /** A timeout shorter than the minute the step allows, for tests. */
        WaitExecution timeout(long millis) {
            this.timeoutMillis = millis;
            return this;
        }

        @Override
        StepServices services() {
            return seams;
        }

        @Override
        long now() {
            return System.currentTimeMillis() + skewMillis;
        }

        @Override
        long timeoutMillis() {
            return timeoutMillis > 0 ? timeoutMillis : super.timeoutMillis();
        }
    }
}
