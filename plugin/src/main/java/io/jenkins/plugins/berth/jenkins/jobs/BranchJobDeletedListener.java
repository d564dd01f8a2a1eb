package io.jenkins.plugins.berth.jenkins.jobs;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.listeners.ItemListener;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;

/**
 * A branch job deleted by hand schedules the teardown of its branch's environment. A job branch-api prunes
 * after indexing found its branch gone was marked dead first, which already scheduled the teardown
 * ({@code BerthBranchProjectFactory.setBranch}): one teardown per environment going away.
 */
@Extension
public final class BranchJobDeletedListener extends ItemListener {
    @Override
    public void onDeleted(Item item) {
        if (item instanceof WorkflowJob job) {
            if (!TeardownJobs.markedDead(job)) {
                TeardownJobs.branchGone(job, "branch job " + job.getFullName() + " was deleted");
            }
        }
    }
}
