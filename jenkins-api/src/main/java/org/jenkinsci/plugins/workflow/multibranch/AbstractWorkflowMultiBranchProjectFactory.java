package org.jenkinsci.plugins.workflow.multibranch;

import hudson.model.ItemGroup;
import java.io.IOException;
import java.util.Map;
import jenkins.branch.MultiBranchProjectFactory;

/** Subset of workflow-multibranch {@code org.jenkinsci.plugins.workflow.multibranch.AbstractWorkflowMultiBranchProjectFactory} (821.vc3b_4ea_780798). */
public abstract class AbstractWorkflowMultiBranchProjectFactory extends MultiBranchProjectFactory.BySCMSourceCriteria {
    @Override
    protected final WorkflowMultiBranchProject doCreateProject(ItemGroup<?> parent, String name,
            Map<String, Object> attributes) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    protected void customize(WorkflowMultiBranchProject project) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }
}
