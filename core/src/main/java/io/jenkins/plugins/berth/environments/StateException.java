package io.jenkins.plugins.berth.environments;

import io.jenkins.plugins.berth.BerthException;

/** A state record that cannot be used: unreadable, or written by a newer Berth. */
public class StateException extends BerthException {
    private static final long serialVersionUID = 1L;

    public StateException(String message) {
        super(message);
    }

    public StateException(String message, Throwable cause) {
        super(message, cause);
    }
}
