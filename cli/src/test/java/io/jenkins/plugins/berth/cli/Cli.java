package io.jenkins.plugins.berth.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Runs the command line the way the launcher does, capturing exit code, stdout and stderr. */
final class Cli {
    static final Path ROOT = Path.of(System.getProperty("berth.projectRoot", "..")).toAbsolutePath().normalize();

    record Result(int exitCode, String out, String err) {}

    private Cli() {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = BerthCommand.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Result(code, out.toString(), err.toString());
    }
}
