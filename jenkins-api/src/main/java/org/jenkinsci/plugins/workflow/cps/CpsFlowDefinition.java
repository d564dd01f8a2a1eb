package org.jenkinsci.plugins.workflow.cps;

import hudson.model.Descriptor;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;

/** Subset of workflow-cps {@code org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition} (4275.vb_0565eb_a_3d36). */
public class CpsFlowDefinition extends FlowDefinition {
    public CpsFlowDefinition(String script, boolean sandbox) throws Descriptor.FormException {
        throw new UnsupportedOperationException();
    }

    public String getScript() {
        throw new UnsupportedOperationException();
    }
}
