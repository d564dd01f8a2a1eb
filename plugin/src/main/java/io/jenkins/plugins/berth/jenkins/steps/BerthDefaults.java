package io.jenkins.plugins.berth.jenkins.steps;

import io.jenkins.plugins.berth.jenkins.config.BerthFolderProperty;
import io.jenkins.plugins.berth.pipeline.DeployDefaults;
import hudson.model.Job;
import hudson.model.Run;
import io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs;
import java.io.IOException;
import java.util.Optional;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/**
 * The defaults a build deploys with: its folders' {@link BerthFolderProperty} values, nearest first, over
 * Jenkins' own. A build of a folder's teardown job, which sits beside the folder, gets the folder's.
 */
public final class BerthDefaults {

    private BerthDefaults() {}

    /**
     * For a build; {@code project} is the environment's project, which tells a teardown job's build which
     * folder it tears down for.
     */
    public static DeployDefaults forBuild(Run<?, ?> build, Optional<String> project) throws IOException {
        Job<?, ?> job = build.getParent();
        if (project.isPresent()) {
            Optional<WorkflowMultiBranchProject> folder = TeardownJobs.folderTornDownBy(job, project.get());
            if (folder.isPresent()) {
                return BerthFolderProperty.defaultsBelow(folder.get());
            }
        }
        return BerthFolderProperty.defaultsBelow(job.getParent());
    }
}
