package io.jenkins.plugins.berth.run;

import java.io.IOException;

/**
 * Runs one command and streams its output, line by line, as it comes. The CLI runs processes on this
 * machine ({@link LocalCommandRunner}); the Jenkins plugin runs them on an agent through its launcher.
 * Stdout and stderr arrive merged, in the order the command wrote them.
 */
public interface CommandRunner {

    /**
     * Runs {@code command} to its end.
     *
     * @return the exit code
     * @throws IOException when the command cannot be started at all
     * @throws InterruptedException when the run is stopped; the command and what it started are stopped too
     */
    int run(Command command, LineSink output) throws IOException, InterruptedException;

    /**
     * Secret values of the environment commands run in (the state credentials,
     * {@link RunnerEnvironment#secrets}): every run's masker starts with them.
     */
    default java.util.List<String> environmentSecrets() {
        return java.util.List.of();
    }

    /** Receives each output line, without its line ending. Called from one thread at a time per command. */
    @FunctionalInterface
    interface LineSink {
        void line(String line);
    }
}
