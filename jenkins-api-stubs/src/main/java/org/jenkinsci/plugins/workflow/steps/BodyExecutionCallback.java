package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/**
 * Stand-in for workflow-step-api's {@code BodyExecutionCallback}. Saved with the program, so it must be
 * serializable; its methods run on the CPS VM thread and must not block.
 */
public abstract class BodyExecutionCallback implements Serializable {
    private static final long serialVersionUID = 1L;

    public BodyExecutionCallback() {
    }

    /** Real default: nothing. */
    public void onStart(StepContext context) {
    }

    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);
}
