package io.jenkins.plugins.berth.jenkins.steps;

import hudson.FilePath;
import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStateAction;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.terraform.HttpStates;
import io.jenkins.plugins.berth.terraform.StateScope;
import io.jenkins.plugins.berth.terraform.StateScope.SharedAccess;
import java.io.IOException;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.pipeline.PinDuringDeploy;
import io.jenkins.plugins.berth.environments.StateException;
import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import jenkins.model.Jenkins;

/**
 * One deploy's use of the states Jenkins hosts: before the body, the environment's record and kept
 * files are copied from the controller into the workspace's state folder and a token for the
 * environment's own Terraform states (and the project's shared stacks') is issued; after it, however
 * it ended, the token is revoked and the record and kept files are copied back. Only this
 * environment's files move, so deploys of other environments of the project are not overwritten.
 */
final class HostedState implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String project;
    private final String environment;
    private final String build;
    /** Whether the controller's record was pinned when the deploy copied it in. */
    private final boolean pinnedAtBegin;

    private HostedState(String project, String environment, String build, boolean pinnedAtBegin) {
        this.project = project;
        this.environment = environment;
        this.build = build;
        this.pinnedAtBegin = pinnedAtBegin;
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
        boolean pinned = read(store(project), environment).map(EnvironmentRecord::isProtected).orElse(false);
        HostedState hosted = new HostedState(project, environment, build, pinned);
        FilePath controller = hosted.controllerFolder();
        stateFolder.mkdirs();
        if (controller.exists()) {
            controller.copyRecursiveTo(hosted.files(), stateFolder);
        }
        String token = BerthStates.get().tokens().issue(build, new StateScope(project, environment, SharedAccess.WRITE));
        return Optional.of(new Begun(hosted, Map.of(HttpStates.URL_VARIABLE, root + BerthStateAction.URL_NAME + "/",
                HttpStates.PASSWORD_VARIABLE, token)));
    }

    /** A begun deploy: what to end, and the variables its commands need (the password is sensitive). */
    record Begun(HostedState state, Map<String, String> variables) {}

    /**
     * Revokes the token, then copies the environment's record and kept files back to the controller, keeping
     * a pin the Environments page changed while the deploy ran.
     */
    void end(FilePath stateFolder) throws IOException, InterruptedException {
        BerthStates.get().tokens().revoke(build);
        FilePath controller = controllerFolder();
        controller.mkdirs();
        FilePath kept = stateFolder.child(StateLayout.keptFolder(environment));
        if (kept.exists()) {
            controller.child(StateLayout.keptFolder(environment)).deleteRecursive();
        }
        DirectoryStateStore store = store(project);
        Optional<Boolean> pin = PinDuringDeploy.changedMeanwhile(pinnedAtBegin, read(store, environment));
        stateFolder.copyRecursiveTo(files(), controller);
        if (pin.isPresent() && read(store, environment).isPresent()) {
            try {
                store.update(environment, stored -> stored.orElseThrow().withProtected(pin.get(), Instant.now()));
            } catch (StateException e) {
                throw new IOException("berth: could not keep the pin of " + environment, e);
            }
        }
    }

    private static Optional<EnvironmentRecord> read(DirectoryStateStore store, String environment) throws IOException {
        try {
            return store.read(environment);
        } catch (StateException e) {
            throw new IOException("berth: unreadable record of " + environment, e);
        }
    }

    private static DirectoryStateStore store(String project) {
        return new DirectoryStateStore(BerthStates.get().projectFolder(project).toPath());
    }

    private FilePath controllerFolder() {
        return new FilePath(BerthStates.get().projectFolder(project));
    }

    /** The environment's files, as an Ant pattern. */
    private String files() {
        return StateLayout.environmentFilesPattern(environment);
    }
}
