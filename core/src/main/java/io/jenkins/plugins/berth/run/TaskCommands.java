package io.jenkins.plugins.berth.run;

import java.io.IOException;

/**
 * Runs the commands of one task (a stage, a stack's init/apply/destroy, a teardown stage, a target's
 * script), each output line logged under the task's name. The one place where a command that cannot start
 * or exits non-zero becomes a {@link TaskFailedException} naming {@code what} failed.
 */
public record TaskCommands(CommandRunner runner, Log log, String task) {

    /**
     * Runs {@code command} to its end.
     *
     * @throws TaskFailedException when it cannot start or exits with a code other than 0
     */
    public void run(String what, Command command) throws TaskFailedException, InterruptedException {
        int exitCode = runForExitCode(what, command);
        if (exitCode != 0) {
            throw new TaskFailedException(what + " exited with code " + exitCode, exitCode);
        }
    }

    /** Runs {@code command} and returns its exit code whatever it is ({@code plan -detailed-exitcode}). */
    public int runForExitCode(String what, Command command) throws TaskFailedException, InterruptedException {
        return start(what, command, line -> log.output(task, line));
    }

    /**
     * Runs {@code command} and hands each output line to {@code sink} instead of the log (a command whose output
     * needs reading first, like Packer's machine-readable lines), returning its exit code whatever it is.
     */
    public int runForExitCode(String what, Command command, CommandRunner.LineSink sink)
            throws TaskFailedException, InterruptedException {
        return start(what, command, sink);
    }

    /**
     * Runs {@code command} and returns its output instead of logging it (it may hold values that are not
     * masked yet). On failure the output is logged, masked, and the task fails.
     */
    public String capture(String what, Command command) throws TaskFailedException, InterruptedException {
        StringBuilder out = new StringBuilder();
        int exitCode = start(what, command, line -> out.append(line).append('\n'));
        if (exitCode != 0) {
            out.toString().lines().forEach(line -> log.output(task, line));
            throw new TaskFailedException(what + " exited with code " + exitCode, exitCode);
        }
        return out.toString();
    }

    private int start(String what, Command command, CommandRunner.LineSink sink)
            throws TaskFailedException, InterruptedException {
        try {
            return runner.run(command, sink);
        } catch (IOException e) {
            throw new TaskFailedException("cannot start " + what + ": " + e.getMessage());
        }
    }
}
