package org.jenkinsci.plugins.workflow.flow;

import hudson.ExtensionPoint;
import org.jenkinsci.plugins.workflow.graph.FlowNode;

/** Subset of workflow-api {@code org.jenkinsci.plugins.workflow.flow.GraphListener} (1398.v67030756d3fb_). */
public interface GraphListener extends ExtensionPoint {
    void onNewHead(FlowNode node);
}
