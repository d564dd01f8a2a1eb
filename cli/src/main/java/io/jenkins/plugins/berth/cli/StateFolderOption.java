package io.jenkins.plugins.berth.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code [FOLDER] [--state DIR]}: where environment records are, for commands that need no deploy file. */
final class StateFolderOption {

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FOLDER",
            description = "The repository folder (or its deploy file) whose records these are: they are in its own"
                    + " folder in the state home (default: the current folder).")
    Optional<Path> repository = Optional.empty();

    @Option(names = "--state", paramLabel = "DIR",
            description = "The state folder itself (default: FOLDER's folder in the state home, $BERTH_STATE_HOME,"
                    + " else $XDG_STATE_HOME/berth, else ~/.local/state/berth).")
    Optional<Path> state = Optional.empty();

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    /** Worked out once: the note about an old folder is said once. */
    private Path resolved;

    Path folder() {
        if (resolved == null) {
            resolved = state.map(Path::toAbsolutePath).orElseGet(() -> DefaultStateFolder.of(command, repositoryFolder()));
        }
        return resolved;
    }

    /** FOLDER, or the folder of the deploy file FOLDER names: the same folder {@code up FILE} keys its state by. */
    private Path repositoryFolder() {
        Path given = repository.orElse(Path.of("")).toAbsolutePath().normalize();
        return Files.isRegularFile(given) ? given.getParent() : given;
    }
}
