package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/**
 * Stand-in for workflow-step-api's {@code StepExecution}. Like the real class it keeps the context it was created
 * with, so that an execution's own logic can be exercised in unit tests through a fake context, and its default
 * {@link #stop} fails the context.
 */
public abstract class StepExecution implements Serializable {
    private static final long serialVersionUID = 1L;

    private final StepContext context;

    protected StepExecution(StepContext context) {
        this.context = context;
    }

    public StepContext getContext() {
        if (context == null) {
            throw new IllegalStateException("no StepContext");
        }
        return context;
    }

    public abstract boolean start() throws Exception;

    /** Real default: fails the step with {@code cause} at once. */
    public void stop(Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }

    /** Called when the execution is loaded again after a controller restart. Real default: nothing. */
    public void onResume() {
    }

    /** A short diagnostic phrase for the thread dump of a running build; real default null. */
    public String getStatus() {
        return null;
    }
}
