package io.jenkins.plugins.berth.environments;

import io.jenkins.plugins.berth.BerthException;

/** The state folder has no record of the environment asked for: the caller named the wrong one (exit code 2). */
public final class NoSuchEnvironmentException extends BerthException {
    private static final long serialVersionUID = 1L;

    public NoSuchEnvironmentException(String environment, String where) {
        this(environment, where, false);
    }

    /** With {@code live}: there is none that is not torn down. */
    public NoSuchEnvironmentException(String environment, String where, boolean live) {
        super("there is no " + (live ? "live " : "") + "environment " + environment
                + (where.isEmpty() ? "" : " in " + where));
    }
}
