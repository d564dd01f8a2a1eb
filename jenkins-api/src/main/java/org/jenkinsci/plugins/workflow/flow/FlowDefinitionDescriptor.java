package org.jenkinsci.plugins.workflow.flow;

import hudson.model.Descriptor;

/** Subset of workflow-api {@code org.jenkinsci.plugins.workflow.flow.FlowDefinitionDescriptor} (1398.v67030756d3fb_). */
public abstract class FlowDefinitionDescriptor extends Descriptor<FlowDefinition> {}
