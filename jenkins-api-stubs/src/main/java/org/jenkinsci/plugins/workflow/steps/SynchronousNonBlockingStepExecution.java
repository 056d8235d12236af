package org.jenkinsci.plugins.workflow.steps;

/**
 * Stand-in for workflow-step-api's {@code SynchronousNonBlockingStepExecution}: real Jenkins runs {@link #run()}
 * on a background thread and completes the step with its value.
 */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {
    private static final long serialVersionUID = 1L;

    protected SynchronousNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }
}
