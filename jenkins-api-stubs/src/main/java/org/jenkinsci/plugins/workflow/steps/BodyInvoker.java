package org.jenkinsci.plugins.workflow.steps;

/** Stand-in for workflow-step-api's {@code BodyInvoker}: how a block step schedules its body. */
public abstract class BodyInvoker {
    public BodyInvoker() {
    }

    /** A context object the body's steps find with {@link StepContext#get(Class)} (one per class). */
    public abstract BodyInvoker withContext(Object override);

    /** Called when the body starts and when it ends, successfully or not. */
    public abstract BodyInvoker withCallback(BodyExecutionCallback callback);

    /** Schedules the body; returns at once. */
    public abstract BodyExecution start();
}
