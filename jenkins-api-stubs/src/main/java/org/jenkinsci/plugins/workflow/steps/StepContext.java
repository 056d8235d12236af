package org.jenkinsci.plugins.workflow.steps;

import java.io.IOException;
import java.io.Serializable;

/** Stand-in for workflow-step-api's {@code StepContext}: where a step finds its build, console and workspace. */
public abstract class StepContext implements Serializable {
    private static final long serialVersionUID = 1L;

    public StepContext() {
    }

    public abstract <T> T get(Class<T> key) throws IOException, InterruptedException;
}
