package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.run.RunVariables;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code shared_dir}: the folder both colours of an environment use, kept across deploys and removed by teardown. A
 * relative path lives in the environment's folder of the Berth state ({@code <state>/shared/<environment>/<path>}:
 * out of the workspace, which a build may wipe); an absolute one is used as written (a template, so that it can name
 * the environment).
 */
public final class SharedFolder {

    private SharedFolder() {}

    /** The folder of the state that holds an environment's relative shared folders. */
    public static Path root(StateStore state, Path repositoryRoot, String environment) {
        Path base = state instanceof DirectoryStateStore directory ? directory.folder()
                : repositoryRoot.resolve(".berth");
        return base.resolve("shared").resolve(environment);
    }

    /** The shared folder of {@code deploy} for the environment, if it has one. */
    public static Optional<Path> of(Deploy deploy, RunVariables variables, Path root) {
        return deploy.sharedDir().map(dir -> {
            Path path = Path.of(variables.resolve(dir, Scope.Site.of(Scope.Kind.DEPLOY)));
            return path.isAbsolute() ? path.normalize() : root.resolve(path).normalize();
        });
    }

    /** Creates it if need be (the first deploy), for both colours to find it. */
    public static Path create(Path folder) throws BerthException {
        try {
            return Files.createDirectories(folder);
        } catch (IOException e) {
            throw new BerthException("cannot create the shared folder " + folder + " (shared_dir): " + e.getMessage(), e);
        }
    }

    /** Removes it and all it holds (teardown). */
    public static void remove(Path folder) throws IOException {
        DirectoryStateStore.deleteTree(folder);
    }
}
