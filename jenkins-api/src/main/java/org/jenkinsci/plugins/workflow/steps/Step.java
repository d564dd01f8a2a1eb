package org.jenkinsci.plugins.workflow.steps;

import hudson.model.AbstractDescribableImpl;

/** Subset of workflow-step-api {@code Step} (710.v3e456cc85233). */
public abstract class Step extends AbstractDescribableImpl<Step> {
    public abstract StepExecution start(StepContext context) throws Exception;

    @Override
    public StepDescriptor getDescriptor() {
        throw new UnsupportedOperationException();
    }
}
