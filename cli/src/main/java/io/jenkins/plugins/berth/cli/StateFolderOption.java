package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.StateLayout;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code [FOLDER] [--state DIR]}: where environment records are, for commands that need no deploy file. */
final class StateFolderOption {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FOLDER",
            description = "The repository folder whose .berth/state holds the records (default: the current folder).")
    Optional<Path> repository = Optional.empty();

    @Option(names = "--state", paramLabel = "DIR", description = "The state folder itself (default: FOLDER/.berth/state).")
    Optional<Path> state = Optional.empty();

    Path folder() {
        return state.orElseGet(() -> repository.orElse(Path.of("")).resolve(StateLayout.DEFAULT_FOLDER)).toAbsolutePath();
    }
}
