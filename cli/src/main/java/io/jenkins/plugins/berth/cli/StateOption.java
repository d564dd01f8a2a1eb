package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.StateLayout;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --state DIR} of the commands that read a deploy file: the folder of environment records. */
final class StateOption {

    @Option(names = "--state", paramLabel = "DIR",
            description = "Folder of environment records (default: .berth/state next to the deploy file).")
    Optional<Path> folder = Optional.empty();

    /** The folder given, or {@code .berth/state} next to the deploy file, as an absolute path. */
    Path folder(DeployFileArgument.Valid deployFile) {
        return folder.orElse(deployFile.folder().resolve(StateLayout.DEFAULT_FOLDER)).toAbsolutePath();
    }
}
