package org.jenkinsci.plugins.workflow.steps;

import hudson.model.Descriptor;
import java.util.Map;
import java.util.Set;

/** Stand-in for workflow-step-api's {@code StepDescriptor}. */
public abstract class StepDescriptor extends Descriptor<Step> {
    public StepDescriptor() {
    }

    public abstract Set<? extends Class<?>> getRequiredContext();

    public abstract String getFunctionName();

    /** Real default false; true for block-scoped steps ({@code foo { ... }}). */
    public boolean takesImplicitBlockArgument() {
        return false;
    }

    /** Real default: the single argument's text when there is exactly one simple argument, else null. */
    public String argumentsToString(Map<String, Object> namedArgs) {
        return null;
    }
}
