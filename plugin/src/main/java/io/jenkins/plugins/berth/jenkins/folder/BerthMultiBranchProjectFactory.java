package io.jenkins.plugins.berth.jenkins.folder;

import hudson.Extension;
import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import java.io.IOException;
import jenkins.branch.MultiBranchProjectFactory;
import jenkins.branch.MultiBranchProjectFactoryDescriptor;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.SCMSourceCriteria;
import org.jenkinsci.plugins.workflow.multibranch.AbstractWorkflowMultiBranchProjectFactory;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/** For organization folders: each repository with the deploy file becomes a multibranch project "by berth.yml". */
public class BerthMultiBranchProjectFactory extends AbstractWorkflowMultiBranchProjectFactory {

    private String deployFile = BranchJobScripts.DEFAULT_DEPLOY_FILE;

    @DataBoundConstructor
    public BerthMultiBranchProjectFactory() {}

    public String getDeployFile() {
        return deployFile;
    }

    @DataBoundSetter
    public void setDeployFile(String deployFile) {
        this.deployFile = BranchJobScripts.deployFile(deployFile);
    }

    @Override
    protected SCMSourceCriteria getSCMSourceCriteria(SCMSource source) {
        return new DeployFileCriteria(deployFile);
    }

    @Override
    protected void customize(WorkflowMultiBranchProject project) throws IOException, InterruptedException {
        BerthBranchProjectFactory factory = new BerthBranchProjectFactory();
        factory.setDeployFile(deployFile);
        project.setProjectFactory(factory);
    }

    @Extension
    public static class DescriptorImpl extends MultiBranchProjectFactoryDescriptor {
        @Override
        public MultiBranchProjectFactory newInstance() {
            return new BerthMultiBranchProjectFactory();
        }

        @Override
        public String getDisplayName() {
            return "Berth " + BranchJobScripts.DEFAULT_DEPLOY_FILE;
        }
    }
}
