package org.jenkinsci.plugins.workflow.flow;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Action;
import hudson.model.TaskListener;
import java.util.List;

/** Subset of workflow-api {@code org.jenkinsci.plugins.workflow.flow.FlowDefinition} (1398.v67030756d3fb_). */
public abstract class FlowDefinition extends AbstractDescribableImpl<FlowDefinition> implements ExtensionPoint {
    public FlowExecution create(FlowExecutionOwner handle, TaskListener listener, List<? extends Action> actions) throws Exception {
        throw new UnsupportedOperationException();
    }
}
