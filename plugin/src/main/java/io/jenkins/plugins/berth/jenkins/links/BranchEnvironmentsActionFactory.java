package io.jenkins.plugins.berth.jenkins.links;

import hudson.Extension;
import hudson.model.Action;
import io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs;
import java.util.Collection;
import java.util.List;
import jenkins.model.TransientActionFactory;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/**
 * Gives every branch and pull request job of a multibranch folder its {@link BranchEnvironmentsAction}. Cheap:
 * the records are read only when the job's page or API shows the action.
 */
@Extension
public final class BranchEnvironmentsActionFactory extends TransientActionFactory<WorkflowJob> {

    @Override
    public Class<WorkflowJob> type() {
        return WorkflowJob.class;
    }

    @Override
    public Collection<? extends Action> createFor(WorkflowJob job) {
        if (job.getParent() instanceof WorkflowMultiBranchProject folder) {
            return TeardownJobs.branchOf(folder, job).map(branch -> List.of(new BranchEnvironmentsAction(folder, branch)))
                    .orElse(List.of());
        }
        return List.of();
    }
}
