package io.jenkins.plugins.berth.jenkins.trust;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import java.io.IOException;
import java.util.Optional;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/**
 * What a build of a folder's teardown job may tear down. Anyone with Job/Build on the job can start it with
 * any parameters, so the request is checked against the folder's own records before anything runs.
 */
public final class TeardownRequest {

    private TeardownRequest() {}

    /**
     * Refuses a teardown build's request that its folder's records do not back: an environment the project
     * does not have, or a pinned environment or a release stage unless a user with Berth/Teardown on the folder
     * started the build (Berth's own teardowns never pick those; the page refuses them).
     *
     * @throws hudson.AbortException saying why, before anything runs
     */
    public static void check(hudson.model.Run<?, ?> build, WorkflowMultiBranchProject folder, String project,
            String environment) throws IOException {
        Optional<EnvironmentRecord> record;
        try {
            record = new DirectoryStateStore(BerthStates.get().projectFolder(project).toPath()).read(environment);
        } catch (StateException e) {
            throw new IOException("berth: unreadable record of " + environment, e);
        }
        if (record.isEmpty()) {
            throw new hudson.AbortException("berth: project " + project + " of " + folder.getFullName()
                    + " has no environment " + environment + " to tear down");
        }
        boolean guarded = record.get().isProtected()
                || record.get().kind() == io.jenkins.plugins.berth.environments.EnvironmentKind.RELEASE_STAGE;
        if (guarded && !startedByATeardownUser(build, folder)) {
            throw new hudson.AbortException("berth: " + environment + " is "
                    + (record.get().isProtected() ? "pinned" : "a release stage") + "; only a user with Berth/Teardown"
                    + " on " + folder.getFullName() + " may tear it down (Build with Parameters)");
        }
    }

    private static boolean startedByATeardownUser(hudson.model.Run<?, ?> build, WorkflowMultiBranchProject folder) {
        hudson.model.Cause.UserIdCause cause = build.getCause(hudson.model.Cause.UserIdCause.class);
        return cause != null && UserPermissions.holds(cause.getUserId(), folder,
                io.jenkins.plugins.berth.jenkins.pages.BerthPermissions.TEARDOWN);
    }

}
