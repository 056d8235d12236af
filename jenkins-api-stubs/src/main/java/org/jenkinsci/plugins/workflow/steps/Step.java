package org.jenkinsci.plugins.workflow.steps;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

/** Stand-in for workflow-step-api's {@code Step}: the arguments of one step call. */
public abstract class Step extends AbstractDescribableImpl<Step> implements ExtensionPoint {
    public Step() {
    }

    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        throw new UnsupportedOperationException("stub: no Jenkins here");
    }
}
