package io.jenkins.plugins.berth.jenkins.pages;

import hudson.Extension;
import hudson.model.Action;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.TransientActionFactory;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/**
 * Adds the Environments page to every multibranch folder that builds "by berth.yml", and to any other
 * multibranch folder whose builds have deployed with Berth (a Jenkinsfile calling {@code berth.deploy()}).
 */
@Extension
public final class FolderEnvironmentsActionFactory extends TransientActionFactory<WorkflowMultiBranchProject> {

    private static final Logger LOGGER = Logger.getLogger(FolderEnvironmentsActionFactory.class.getName());

    @Override
    public Class<WorkflowMultiBranchProject> type() {
        return WorkflowMultiBranchProject.class;
    }

    @Override
    public Collection<? extends Action> createFor(WorkflowMultiBranchProject folder) {
        try {
            if (TeardownJobs.isBerth(folder) || !BerthStates.get().projectsOf(folder.getFullName()).isEmpty()) {
                return List.of(new FolderEnvironmentsAction(folder));
            }
        } catch (IOException e) {
            LOGGER.log(Level.WARNING, "Berth: could not read the projects of " + folder.getFullName(), e);
        }
        return List.of();
    }
}
