package io.jenkins.plugins.berth.jenkins.folder;

import hudson.Extension;
import hudson.model.Descriptor;
import hudson.model.DescriptorVisibilityFilter;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import hudson.model.Action;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import java.util.List;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowDefinition;
import org.jenkinsci.plugins.workflow.flow.FlowDefinitionDescriptor;
import org.jenkinsci.plugins.workflow.flow.FlowExecution;
import org.jenkinsci.plugins.workflow.flow.FlowExecutionOwner;

/**
 * A branch job's Pipeline: the constant {@code berth.branchJob(file: ...)}, run in the Groovy sandbox.
 * {@code branchJob} reads the deploy file with {@code readTrusted}, which takes it from the trusted
 * revision through {@code SCMFileSystem} (a checkout when the SCM has none) and aborts the build when an
 * untrusted change (a pull request from a fork) edits it; the checked-out copy must then match.
 */
public class BerthFlowDefinition extends FlowDefinition {

    private final String deployFile;

    public BerthFlowDefinition(String deployFile) {
        this.deployFile = BranchJobScripts.deployFile(deployFile);
    }

    public String getDeployFile() {
        return deployFile;
    }

    @Override
    public FlowExecution create(FlowExecutionOwner handle, TaskListener listener, List<? extends Action> actions)
            throws Exception {
        FlowDefinition script = new CpsFlowDefinition(BranchJobScripts.branchJob(deployFile), true);
        return script.create(handle, listener, actions);
    }

    @Extension
    public static class DescriptorImpl extends FlowDefinitionDescriptor {
        @Override
        public String getDisplayName() {
            return "Berth deploy file of the branch";
        }
    }

    /**
     * Offered only where it belongs, a branch job of a multibranch folder (read-only there), as
     * workflow-multibranch hides its own SCMBinder: a standalone Pipeline job has no branch to deploy.
     */
    @Extension
    public static class OnlyInBranchJobs extends DescriptorVisibilityFilter {
        @SuppressWarnings("rawtypes")
        @Override
        public boolean filter(Object context, Descriptor descriptor) {
            if (descriptor instanceof DescriptorImpl) {
                return context instanceof WorkflowJob job && job.getParent() instanceof WorkflowMultiBranchProject;
            }
            return true;
        }
    }
}
