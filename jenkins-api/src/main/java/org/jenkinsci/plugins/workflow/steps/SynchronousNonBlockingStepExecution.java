package org.jenkinsci.plugins.workflow.steps;

/** Subset of workflow-step-api {@code SynchronousNonBlockingStepExecution} (710.v3e456cc85233). */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {
    protected SynchronousNonBlockingStepExecution(StepContext context) {
        super(context);
        throw new UnsupportedOperationException();
    }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        throw new UnsupportedOperationException();
    }
}
