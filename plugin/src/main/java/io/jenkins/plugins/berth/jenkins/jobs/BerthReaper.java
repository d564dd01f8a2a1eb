package io.jenkins.plugins.berth.jenkins.jobs;

import hudson.Extension;
import hudson.model.AsyncPeriodicWork;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/**
 * Every ten minutes, reaps each Berth folder: expired environments, and those whose branch is gone even
 * if no indexing or deletion told Berth (a missed event must not leave an environment running).
 */
@Extension
public final class BerthReaper extends AsyncPeriodicWork {

    public BerthReaper() {
        super("Berth reaper");
    }

    @Override
    public long getRecurrencePeriod() {
        return TimeUnit.MINUTES.toMillis(10);
    }

    @Override
    protected void execute(TaskListener listener) throws IOException, InterruptedException {
        for (String name : new TreeSet<>(BerthStates.get().folders())) {
            WorkflowMultiBranchProject folder = Jenkins.get().getItemByFullName(name, WorkflowMultiBranchProject.class);
            if (folder == null || !TeardownJobs.isBerth(folder)) {
                continue;
            }
            try {
                List<String> scheduled = TeardownJobs.reap(folder, "periodic reaping");
                if (!scheduled.isEmpty()) {
                    listener.getLogger().println(name + ": teardown scheduled for " + scheduled);
                }
            } catch (StateException e) {
                listener.getLogger().println(name + ": could not reap: " + e.getMessage());
            }
        }
    }
}
