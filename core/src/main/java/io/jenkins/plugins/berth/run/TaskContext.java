package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.model.RepositoryFiles;
import java.io.IOException;

/**
 * What a running task can use: the repository, the run's variables, the log and the command runner.
 * Command output is logged under the task's name, masked.
 */
public final class TaskContext {

    private final String taskName;
    private final RepositoryFiles repository;
    private final RunVariables variables;
    private final Log log;
    private final CommandRunner commands;

    TaskContext(String taskName, RepositoryFiles repository, RunVariables variables, Log log,
            CommandRunner commands) {
        this.taskName = taskName;
        this.repository = repository;
        this.variables = variables;
        this.log = log;
        this.commands = commands;
    }

    public String taskName() {
        return taskName;
    }

    public RepositoryFiles repository() {
        return repository;
    }

    public RunVariables variables() {
        return variables;
    }

    public Log log() {
        return log;
    }

    /**
     * Runs {@code command}, its output logged under this task's name.
     *
     * @throws TaskFailedException when it exits with a code other than 0; {@code what} names it in the message
     */
    public void run(String what, Command command) throws TaskFailedException, InterruptedException {
        int exitCode;
        try {
            exitCode = commands.run(command, line -> log.output(taskName, line));
        } catch (IOException e) {
            throw new TaskFailedException("cannot start " + what + ": " + e.getMessage());
        }
        if (exitCode != 0) {
            throw new TaskFailedException(what + " exited with code " + exitCode, exitCode);
        }
    }
}
