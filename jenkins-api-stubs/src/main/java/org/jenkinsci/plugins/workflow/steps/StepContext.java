package org.jenkinsci.plugins.workflow.steps;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.ListenableFuture;
import java.io.IOException;
import java.io.Serializable;

/**
 * Stand-in for workflow-step-api's {@code StepContext}: where a step finds its build, console and workspace, and
 * how an asynchronous execution completes. As in the real class, {@code onFailure(Throwable)} is inherited from
 * Guava's {@link FutureCallback}.
 */
public abstract class StepContext implements FutureCallback<Object>, Serializable {
    private static final long serialVersionUID = 1L;

    public StepContext() {
    }

    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;

    /** Completes the step with its return value. */
    @Override
    public abstract void onSuccess(Object result);

    /** Asks Pipeline to save the program state now, including the execution's non-transient fields. */
    public abstract ListenableFuture<Void> saveState();

    /** Prepares to run the block passed to a step whose descriptor takes one; throws when there is none. */
    public abstract BodyInvoker newBodyInvoker() throws IllegalStateException;

    /** Real default: whether {@link #newBodyInvoker()} succeeds. */
    public boolean hasBody() {
        try {
            newBodyInvoker();
            return true;
        } catch (IllegalStateException x) {
            return false;
        }
    }
}
