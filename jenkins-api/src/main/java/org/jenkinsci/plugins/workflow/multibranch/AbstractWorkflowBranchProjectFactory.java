package org.jenkinsci.plugins.workflow.multibranch;

import hudson.model.Item;
import jenkins.branch.Branch;
import jenkins.branch.BranchProjectFactory;
import jenkins.branch.BranchProjectFactoryDescriptor;
import jenkins.branch.MultiBranchProject;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.SCMSourceCriteria;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;

/** Subset of workflow-multibranch {@code org.jenkinsci.plugins.workflow.multibranch.AbstractWorkflowBranchProjectFactory} (821.vc3b_4ea_780798). */
public abstract class AbstractWorkflowBranchProjectFactory extends BranchProjectFactory<WorkflowJob, WorkflowRun> {
    protected abstract FlowDefinition createDefinition();

    protected abstract SCMSourceCriteria getSCMSourceCriteria(SCMSource source);

    public WorkflowJob newInstance(Branch branch) {
        throw new UnsupportedOperationException();
    }

    public Branch getBranch(WorkflowJob project) {
        throw new UnsupportedOperationException();
    }

    public WorkflowJob setBranch(WorkflowJob project, Branch branch) {
        throw new UnsupportedOperationException();
    }

    public boolean isProject(Item item) {
        throw new UnsupportedOperationException();
    }

    protected static abstract class AbstractWorkflowBranchProjectFactoryDescriptor extends BranchProjectFactoryDescriptor {
        @SuppressWarnings("rawtypes")
        @Override
        public boolean isApplicable(Class<? extends MultiBranchProject> clazz) {
            throw new UnsupportedOperationException();
        }
    }
}
