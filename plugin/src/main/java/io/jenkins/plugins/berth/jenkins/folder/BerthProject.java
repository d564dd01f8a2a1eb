package io.jenkins.plugins.berth.jenkins.folder;

import hudson.Extension;
import hudson.model.ItemGroup;
import hudson.model.TopLevelItem;
import jenkins.branch.BranchProjectFactory;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/** "Berth project": a Multibranch Pipeline whose branch jobs are built "by berth.yml" from the start. */
public class BerthProject extends WorkflowMultiBranchProject {

    public BerthProject(ItemGroup parent, String name) {
        super(parent, name);
    }

    @Override
    protected BranchProjectFactory<WorkflowJob, WorkflowRun> newProjectFactory() {
        return new BerthBranchProjectFactory();
    }

    @Extension
    public static class DescriptorImpl extends WorkflowMultiBranchProject.DescriptorImpl {
        @Override
        public String getDisplayName() {
            return "Berth project";
        }

        @Override
        public String getDescription() {
            return "Deploys every branch and pull request that has a berth.yml to its own environment, and tears"
                    + " the environment down when the branch goes away. No Jenkinsfile needed.";
        }

        @Override
        public TopLevelItem newInstance(ItemGroup parent, String name) {
            return new BerthProject(parent, name);
        }
    }
}
