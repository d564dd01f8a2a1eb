package io.jenkins.plugins.berth.jenkins.jobs;

import hudson.model.CauseAction;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentSummary;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.jenkins.config.BerthFolderProperty;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/**
 * The environments of a folder whose last deploy ran with other Berth settings than the folder has now (its
 * defaults and those of the folders above it and Jenkins, by {@code DeployDefaults#version}), and their
 * redeploys. An environment no deploy noted a version for (deployed before Berth noted them) is left alone.
 */
public final class SettingsRedeploys {

    /**
     * The settings version each environment's redeploy was last scheduled for (project/environment → version).
     * A folder fires "updated" on every save, several times for one form (indexing saves it too): an environment
     * already scheduled for this version is not scheduled again by a save. Kept in memory only: after a restart,
     * one redeploy too many is harmless.
     */
    private static final java.util.Map<String, String> SCHEDULED = new java.util.concurrent.ConcurrentHashMap<>();

    private SettingsRedeploys() {}

    /** The folder's settings version now. */
    public static String version(WorkflowMultiBranchProject folder) {
        return BerthFolderProperty.defaultsBelow(folder).version();
    }

    /** The folder's environments that are not torn down, whose branch has a job, deployed with older settings. */
    public static List<EnvironmentSummary> outdated(WorkflowMultiBranchProject folder) throws IOException {
        String now = version(folder);
        Set<String> live = TeardownJobs.liveBranches(folder);
        List<DirectoryStateStore> projects = BerthStates.get().projectsOf(folder.getFullName());
        List<EnvironmentSummary> outdated = new ArrayList<>();
        for (EnvironmentSummary record : StateStore.Summaries.of(projects).readable()) {
            if (record.isGone() || !live.contains(record.branch())) {
                continue;
            }
            Optional<String> deployedWith = BerthStates.get().settingsVersion(record.project(), record.name());
            if (deployedWith.isPresent() && !deployedWith.get().equals(now)) {
                outdated.add(record);
            }
        }
        return outdated;
    }

    /**
     * Schedules the branch job of each {@link #outdated} environment in redeploy mode, as {@code berth redeploy}
     * would run it; returns the environments scheduled. A branch job already queued is not queued twice
     * (Jenkins folds the request into the queued build).
     *
     * @param again whether to schedule an environment already scheduled for this version (a user's "Redeploy all"),
     *     or not (a save of the folder)
     */
    public static List<String> schedule(WorkflowMultiBranchProject folder, String why, boolean again)
            throws IOException {
        String now = version(folder);
        List<String> scheduled = new ArrayList<>();
        for (EnvironmentSummary record : outdated(folder)) {
            Optional<WorkflowJob> job = TeardownJobs.branchJob(folder, record.branch());
            String key = record.project() + "/" + record.name();
            if (job.isPresent() && (again || !now.equals(SCHEDULED.put(key, now)))) {
                SCHEDULED.put(key, now);
                job.get().scheduleBuild2(0, new CauseAction(new SettingsRedeployCause(now, why)));
                scheduled.add(record.name());
            }
        }
        return scheduled;
    }
}
