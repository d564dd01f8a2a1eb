package io.jenkins.plugins.berth.teardown;

import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a teardown needs, kept with the environment at the end of each successful deploy, so that a
 * teardown never needs the branch: the deploy file, each teardown stage's {@code script:} file, and the
 * script each blue-green block's {@code stop} runs ({@link io.jenkins.plugins.berth.model.Deploy#stopScript}).
 */
public final class KeptFiles {

    private KeptFiles() {}

    /** The repository paths a teardown of {@code file} (read from {@code deployFile}) runs, in order, once each. */
    public static List<String> of(DeployFile file, String deployFile) {
        List<String> paths = new ArrayList<>();
        paths.add(deployFile);
        for (Stage stage : file.teardown()) {
            if (stage.action() instanceof Stage.Script script) {
                add(paths, script.file().path());
            }
        }
        stopScripts(file).forEach(path -> add(paths, path));
        return paths;
    }

    private static List<String> stopScripts(DeployFile file) {
        List<String> paths = new ArrayList<>();
        for (Stage stage : file.stages()) {
            if (stage.action() instanceof Stage.DeployAction deploy) {
                deploy.deploy().stopScript().ifPresent(paths::add);
            }
        }
        return paths;
    }

    /**
     * Keeps the files of {@link #of} that the repository has. A file that cannot be read is reported and
     * skipped: the deploy itself succeeded.
     */
    public static void keep(StateStore state, String environment, DeployFile file, String deployFile,
            RepositoryFiles repository, Log log) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String path : present(file, deployFile, repository)) {
            try {
                files.put(path, repository.read(path).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                log.warning("cannot keep " + path + " for the teardown of " + environment + ": " + e.getMessage());
            }
        }
        state.keep(environment, files);
    }

    /**
     * The paths of {@link #of} to keep from {@code repository}: all but a blue-green {@code stop} that runs
     * something other than a repository file. The Jenkins controller reads these from the trusted revision.
     */
    public static List<String> present(DeployFile file, String deployFile, RepositoryFiles repository) {
        List<String> stopScripts = stopScripts(file);
        return of(file, deployFile).stream()
                .filter(path -> !stopScripts.contains(path) || repository.isFile(path)).toList();
    }

    private static void add(List<String> paths, String path) {
        if (!paths.contains(path)) {
            paths.add(path);
        }
    }
}
