package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.BerthException;

/** Another run holds the environment: this one stops at once instead of queueing behind it. */
public final class EnvironmentBusyException extends BerthException {
    private static final long serialVersionUID = 1L;

    public EnvironmentBusyException(String environment, String holder) {
        super("environment " + environment + " is busy: " + holder + " is running on it. Wait for that run to end"
                + " (nothing was changed by this one).");
    }
}
