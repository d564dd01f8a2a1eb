package io.jenkins.plugins.berth.jenkins.jobs;

import hudson.Extension;
import hudson.model.Item;
import hudson.model.listeners.ItemListener;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;

/** A branch job deleted by hand (or pruned) schedules the teardown of its branch's environment too. */
@Extension
public final class BranchJobDeletedListener extends ItemListener {
    @Override
    public void onDeleted(Item item) {
        if (item instanceof WorkflowJob job) {
            TeardownJobs.branchGone(job, "branch job " + job.getFullName() + " was deleted");
        }
    }
}
