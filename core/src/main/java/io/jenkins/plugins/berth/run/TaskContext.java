package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.environments.StackRecord;
import io.jenkins.plugins.berth.model.RepositoryFiles;

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
    private final SecretMasker masker;
    private final java.util.function.Consumer<StackRecord> stacks;
    private final java.util.function.Consumer<io.jenkins.plugins.berth.environments.BuildRecord> builds;

    public TaskContext(String taskName, RepositoryFiles repository, RunVariables variables, Log log,
            CommandRunner commands, SecretMasker masker, java.util.function.Consumer<StackRecord> stacks,
            java.util.function.Consumer<io.jenkins.plugins.berth.environments.BuildRecord> builds) {
        this.builds = builds;
        this.taskName = taskName;
        this.repository = repository;
        this.variables = variables;
        this.log = log;
        this.commands = commands;
        this.masker = masker;
        this.stacks = stacks;
    }

    /** The run's secret masker: a task adds values that turn out secret (sensitive outputs). */
    public SecretMasker masker() {
        return masker;
    }

    /** Records that the environment uses a stack (the engine keeps it in the environment's record). */
    public void useStack(StackRecord stack) {
        stacks.accept(stack);
    }

    /** Records that the environment uses a build's artifacts (the engine keeps it in the environment's record). */
    public void useBuild(io.jenkins.plugins.berth.environments.BuildRecord build) {
        builds.accept(build);
    }

    /**
     * Runs {@code command}, its output logged, and returns its exit code whatever it is (for commands
     * whose exit code means more than success, like {@code plan -detailed-exitcode}).
     */
    public int runForExitCode(String what, Command command) throws TaskFailedException, InterruptedException {
        return commands().runForExitCode(what, command);
    }

    /**
     * Runs {@code command} and returns its output instead of logging it (it may hold values that are
     * not masked yet). On failure the output is logged, masked, and the task fails.
     */
    public String capture(String what, Command command) throws TaskFailedException, InterruptedException {
        return commands().capture(what, command);
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
        commands().run(what, command);
    }

    /** This task's commands, their output logged under its name. */
    public TaskCommands commands() {
        return new TaskCommands(commands, log, taskName);
    }
}
