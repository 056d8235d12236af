package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;
import java.util.concurrent.Future;

/** Stand-in for workflow-step-api's {@code BodyExecution}: a running body, saved with the program. */
public abstract class BodyExecution implements Future<Object>, Serializable {
    private static final long serialVersionUID = 1L;

    public BodyExecution() {
    }

    /** Attempts to interrupt the body with {@code t}; false when it already finished. */
    public boolean cancel(Throwable t) {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }
}
