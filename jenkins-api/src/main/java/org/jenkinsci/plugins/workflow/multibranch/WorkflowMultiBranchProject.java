package org.jenkinsci.plugins.workflow.multibranch;

import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import jenkins.branch.BranchProjectFactory;
import jenkins.branch.MultiBranchProject;
import jenkins.branch.MultiBranchProjectDescriptor;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;

/** Subset of workflow-multibranch {@code org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject} (821.vc3b_4ea_780798). */
public class WorkflowMultiBranchProject extends MultiBranchProject<WorkflowJob, WorkflowRun> {
    public WorkflowMultiBranchProject(ItemGroup parent, String name) {
        super(parent, name);
        throw new UnsupportedOperationException();
    }

    @Override
    protected BranchProjectFactory<WorkflowJob, WorkflowRun> newProjectFactory() {
        throw new UnsupportedOperationException();
    }

    public static class DescriptorImpl extends MultiBranchProjectDescriptor {
        @Override
        public String getDisplayName() {
            throw new UnsupportedOperationException();
        }

        public String getDescription() {
            throw new UnsupportedOperationException();
        }

        @Override
        public TopLevelItem newInstance(ItemGroup parent, String name) {
            throw new UnsupportedOperationException();
        }
    }
}
