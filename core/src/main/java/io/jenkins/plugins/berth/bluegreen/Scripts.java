package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.run.Command;

/** Runs a command of a target to its end, its output logged; throws when it fails (a task's {@code run}). */
@FunctionalInterface
public interface Scripts {
    void run(String what, Command command) throws BerthException, InterruptedException;
}
