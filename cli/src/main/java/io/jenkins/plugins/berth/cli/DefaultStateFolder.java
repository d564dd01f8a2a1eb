package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.StateLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * The state folder of a command not given {@code --state}: the repository's folder in the {@link StateHome}.
 * It is not created here: the state store creates it (0700) when it first writes, so a run that stops before
 * writing leaves nothing behind. A repository that still has the folder older versions kept inside it
 * ({@code .berth/state}) gets a note naming both until the new one exists: those records are not read, and
 * nothing is moved unasked.
 */
final class DefaultStateFolder {

    private DefaultStateFolder() {}

    /** The folder of {@code repository} for {@code command}. */
    static Path of(CommandLine.Model.CommandSpec command, Path repository) {
        StateHome home = StateHome.of(BerthCommand.environment(command)).orElseThrow(() ->
                new CommandLine.ParameterException(command.commandLine(), "berth: there is no state home: set "
                        + StateHome.VARIABLE + " (or HOME), or give the state folder with --state DIR"));
        Path folder = home.repositoryFolder(repository);
        Path old = repository.toAbsolutePath().normalize().resolve(StateLayout.WORKSPACE_FOLDER);
        if (Files.isDirectory(old) && !Files.exists(folder)) {
            command.commandLine().getErr().println("berth: note: " + old + " holds records of an older Berth, which"
                    + " kept them in the repository; they now live in " + folder + " and nothing was moved: pass"
                    + " --state " + old + " to keep using the old folder");
        }
        return folder;
    }
}
