package org.jenkinsci.plugins.workflow.graph;

/** Subset of workflow-api {@code org.jenkinsci.plugins.workflow.graph.FlowNode} (1398.v67030756d3fb_). */
public abstract class FlowNode {
    private FlowNode() {
        throw new UnsupportedOperationException();
    }

    protected abstract String getTypeDisplayName();
}
