package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.BerthException;
import java.util.Optional;

/** A task that did not succeed, with the exit code of its command when a command failed. */
public final class TaskFailedException extends BerthException {
    private static final long serialVersionUID = 1L;

    private final Integer exitCode;

    public TaskFailedException(String message) {
        super(message);
        this.exitCode = null;
    }

    public TaskFailedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public Optional<Integer> exitCode() {
        return Optional.ofNullable(exitCode);
    }
}
