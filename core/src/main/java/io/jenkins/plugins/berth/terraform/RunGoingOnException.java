package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.BerthException;

/**
 * {@code berth unlock} refused: a run holds the environment (or, for a shared stack, an environment of its project),
 * so the locks it would release may be that run's own. Nothing was released.
 */
public final class RunGoingOnException extends BerthException {
    private static final long serialVersionUID = 1L;

    RunGoingOnException(String environment, String holder) {
        super("environment " + environment + " is busy: " + holder + " is running on it, and the state locks may be"
                + " that run's own. Nothing was released: unlock is for the locks of a run that was killed; wait for"
                + " this one to end.");
    }
}
