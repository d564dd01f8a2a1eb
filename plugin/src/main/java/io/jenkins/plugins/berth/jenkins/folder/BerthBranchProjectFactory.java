package io.jenkins.plugins.berth.jenkins.folder;

import hudson.Extension;
import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import io.jenkins.plugins.berth.jenkins.jobs.DeploysEnvironments;
import io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs;
import jenkins.branch.Branch;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.SCMSourceCriteria;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.multibranch.AbstractWorkflowBranchProjectFactory;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * "by berth.yml": a branch or pull request whose revision has the deploy file gets a job that deploys it,
 * no Jenkinsfile needed. When indexing finds the branch gone, branch-api hands its job back here marked
 * {@link Branch.Dead}; that is the moment Berth schedules the teardown of its environment.
 */
public class BerthBranchProjectFactory extends AbstractWorkflowBranchProjectFactory implements DeploysEnvironments {

    private String deployFile = BranchJobScripts.DEFAULT_DEPLOY_FILE;

    @DataBoundConstructor
    public BerthBranchProjectFactory() {}

    public String getDeployFile() {
        return deployFile;
    }

    /** The deploy file's path in the repository; blank means berth.yml. */
    @DataBoundSetter
    public void setDeployFile(String deployFile) {
        this.deployFile = BranchJobScripts.deployFile(deployFile);
    }

    @Override
    protected FlowDefinition createDefinition() {
        return new BerthFlowDefinition(deployFile);
    }

    @Override
    protected SCMSourceCriteria getSCMSourceCriteria(SCMSource source) {
        return new DeployFileCriteria(deployFile);
    }

    @Override
    public WorkflowJob setBranch(WorkflowJob project, Branch branch) {
        WorkflowJob job = super.setBranch(project, branch);
        if (branch instanceof Branch.Dead) {
            TeardownJobs.branchGone(job, "branch " + branch.getName() + " is gone (found at indexing)");
        }
        return job;
    }

    @Extension
    public static class DescriptorImpl extends AbstractWorkflowBranchProjectFactoryDescriptor {
        @Override
        public String getDisplayName() {
            return "by " + BranchJobScripts.DEFAULT_DEPLOY_FILE;
        }
    }
}
