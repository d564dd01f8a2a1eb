package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

/** Subset of workflow-step-api {@code BodyExecutionCallback} (710.v3e456cc85233). */
public abstract class BodyExecutionCallback implements Serializable {
    public abstract void onSuccess(StepContext context, Object result);

    public abstract void onFailure(StepContext context, Throwable t);
}
