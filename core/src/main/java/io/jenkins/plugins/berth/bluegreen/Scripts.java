package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.TaskCommands;

/** Runs a command of a target to its end, its output logged; throws when it fails (a task's {@code run}). */
@FunctionalInterface
public interface Scripts {
    void run(String what, Command command) throws BerthException, InterruptedException;

    /** Commands run by {@code runner}, each output line logged under {@code task}, outside a deploy task. */
    static Scripts of(CommandRunner runner, Log log, String task) {
        TaskCommands commands = new TaskCommands(runner, log, task);
        return commands::run;
    }
}
