package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/**
 * Stand-in for workflow-step-api's {@code StepExecution}. Like the real class it keeps the context it was created
 * with, so that an execution's own logic can be exercised in unit tests through a fake context.
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

    public void stop(Throwable cause) throws Exception {
        throw new UnsupportedOperationException("stub");
    }
}
