package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.run.Command;
import java.util.Map;
import java.util.Optional;

/** Runs the user's commands of a deploy block ({@code start}, {@code stop}, {@code switch}) with bash. */
abstract class CommandTarget implements Target {

    private final Scripts scripts;
    private final String start;
    private final Optional<String> stop;

    CommandTarget(Scripts scripts, String start, Optional<String> stop) {
        this.scripts = scripts;
        this.start = start;
        this.stop = stop;
    }

    @Override
    public void deploy(Color color, Map<String, String> variables) throws BerthException, InterruptedException {
        run("start", start, variables);
    }

    @Override
    public void retire(Color color, Map<String, String> variables) throws BerthException, InterruptedException {
        if (stop.isPresent()) {
            run("stop", stop.get(), variables);
        }
    }

    /** Runs {@code script} with bash (-e -o pipefail) and the colour's variables. */
    final void run(String what, String script, Map<String, String> variables) throws BerthException, InterruptedException {
        scripts.run("'" + what + "' for " + variables.getOrDefault("BERTH_COLOR", "?"),
                Command.inlineScript(script, variables));
    }
}
