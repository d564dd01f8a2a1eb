package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.RunnerEnvironment;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line the way the launcher does, capturing exit code, stdout and stderr. */
final class Cli {
    static final Path ROOT = Path.of(System.getProperty("berth.projectRoot", "..")).toAbsolutePath().normalize();
    /** The state home of every run here, new for each test JVM: tests never write into the real ~/.local/state. */
    static final Path STATE_HOME = newStateHome();

    record Result(int exitCode, String out, String err) {}

    private Cli() {}

    private static Path newStateHome() {
        try {
            Path target = Files.createDirectories(Path.of("target").toAbsolutePath());
            return Files.createTempDirectory(target, "test-state-home-").resolve("berth");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result run(String... args) {
        return runWith(Map.of(), args);
    }

    /** Runs in this process's environment with {@code variables} added, as a Jenkins build starts the runner. */
    static Result runWith(Map<String, String> variables, String... args) {
        return runIn(RunnerEnvironment.current().with(Map.of(StateHome.VARIABLE, STATE_HOME.toString()))
                .with(variables), args);
    }

    /** The folder a run without {@code --state} keeps the records of the repository at {@code repository} in. */
    static Path stateOf(Path repository) {
        return new StateHome(STATE_HOME).repositoryFolder(repository);
    }

    /** Runs in exactly {@code environment}. */
    static Result runIn(RunnerEnvironment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BerthCommand.commandLine(environment, out, err, args);
        int code = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return new Result(code, out.toString(), err.toString());
    }
}
