package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import java.util.Map;
import java.util.Optional;

/** {@code target: script}: the user's {@code start}, {@code switch} and {@code stop} commands do everything. */
public final class ScriptTarget extends CommandTarget {

    private final String switchCommand;

    public ScriptTarget(Scripts scripts, String start, Optional<String> stop, String switchCommand) {
        super(scripts, start, stop);
        this.switchCommand = switchCommand;
    }

    @Override
    public void switchTo(Color color, Map<String, String> variables) throws BerthException, InterruptedException {
        run("switch", switchCommand, variables);
    }
}
