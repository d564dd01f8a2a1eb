package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.run.RunnerEnvironment;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line the way the launcher does, capturing exit code, stdout and stderr. */
final class Cli {
    static final Path ROOT = Path.of(System.getProperty("berth.projectRoot", "..")).toAbsolutePath().normalize();

    record Result(int exitCode, String out, String err) {}

    private Cli() {}

    static Result run(String... args) {
        return run(RunnerEnvironment.current(), args);
    }

    /** Runs in this process's environment with {@code variables} added, as a Jenkins build starts the runner. */
    static Result runWith(Map<String, String> variables, String... args) {
        return run(RunnerEnvironment.current().with(variables), args);
    }

    private static Result run(RunnerEnvironment environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BerthCommand.commandLine(environment, out, err);
        int code = commandLine.execute(args);
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return new Result(code, out.toString(), err.toString());
    }
}
