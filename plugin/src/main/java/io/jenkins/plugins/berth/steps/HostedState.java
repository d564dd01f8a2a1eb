package io.jenkins.plugins.berth.steps;

import hudson.FilePath;
import io.jenkins.plugins.berth.state.BerthStateAction;
import io.jenkins.plugins.berth.state.BerthStates;
import io.jenkins.plugins.berth.terraform.HttpStates;
import java.io.IOException;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import jenkins.model.Jenkins;

/**
 * One deploy's use of the states Jenkins hosts: before the body, the environment's record and kept
 * files are copied from the controller into the workspace's state folder and a token for the project's
 * Terraform states is issued; after it, however it ended, the token is revoked and the record and kept
 * files are copied back. Only this environment's files move, so deploys of other environments of the
 * project are not overwritten.
 */
final class HostedState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String project;
    private final String environment;
    private final String build;

    private HostedState(String project, String environment, String build) {
        this.project = project;
        this.environment = environment;
        this.build = build;
    }

    /** Copies the environment in and issues the token; empty (and says why) when Jenkins' URL is unknown. */
    static Optional<Begun> begin(String project, String environment, String build, FilePath stateFolder,
            java.io.PrintStream log) throws IOException, InterruptedException {
        String root = Jenkins.get().getRootUrl();
        if (root == null) {
            log.println("berth: Jenkins' URL is not configured (Manage Jenkins → System), so Terraform states and "
                    + "records stay in this workspace");
            return Optional.empty();
        }
        HostedState hosted = new HostedState(project, environment, build);
        FilePath controller = hosted.controllerFolder();
        stateFolder.mkdirs();
        if (controller.exists()) {
            controller.copyRecursiveTo(hosted.files(), stateFolder);
        }
        String token = BerthStates.get().tokens().issue(build, project);
        return Optional.of(new Begun(hosted, Map.of(HttpStates.URL_VARIABLE, root + BerthStateAction.URL_NAME + "/",
                HttpStates.PASSWORD_VARIABLE, token)));
    }

    /** A begun deploy: what to end, and the variables its commands need (the password is sensitive). */
    record Begun(HostedState state, Map<String, String> variables) {}

    /** Revokes the token, then copies the environment's record and kept files back to the controller. */
    void end(FilePath stateFolder) throws IOException, InterruptedException {
        BerthStates.get().tokens().revoke(build);
        FilePath controller = controllerFolder();
        controller.mkdirs();
        FilePath kept = stateFolder.child("kept").child(environment);
        if (kept.exists()) {
            controller.child("kept").child(environment).deleteRecursive();
        }
        stateFolder.copyRecursiveTo(files(), controller);
    }

    private FilePath controllerFolder() {
        return new FilePath(BerthStates.get().projectFolder(project));
    }

    /** The environment's files, as an Ant pattern. */
    private String files() {
        return environment + ".json,kept/" + environment + "/**";
    }
}
