package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;
import java.util.Collection;

/** Subset of workflow-step-api {@code BodyExecution} (710.v3e456cc85233). */
public abstract class BodyExecution implements Serializable {
    public abstract Collection<StepExecution> getCurrentExecutions();

    public boolean cancel(Throwable t) {
        throw new UnsupportedOperationException();
    }
}
