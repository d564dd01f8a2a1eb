package io.jenkins.plugins.berth.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --state DIR} of the commands that read a deploy file: the folder of environment records. */
final class StateOption {

    @Option(names = "--state", paramLabel = "DIR",
            description = "Folder of environment records (default: the repository's own folder in the state home,"
                    + " $BERTH_STATE_HOME, else $XDG_STATE_HOME/berth, else ~/.local/state/berth).")
    Optional<Path> folder = Optional.empty();

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    /** The folder given, or the deploy file's folder's own folder in the state home, as an absolute path. */
    Path folder(DeployFileArgument.Valid deployFile) {
        return folder.map(Path::toAbsolutePath).orElseGet(() -> DefaultStateFolder.of(command, deployFile.folder()));
    }
}
