package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.BerthException;

/** A stack's state is locked: another run applies it, or a killed run left its lock behind. */
public final class StackLockedException extends BerthException {
    private static final long serialVersionUID = 1L;

    public StackLockedException(String stack, String environment, LockInfo holder) {
        super("the state of stack '" + stack + "' of environment " + environment + " is locked: " + holder.describe()
                + ". If no run is going on (it was killed), release it with: bin/berth unlock --env " + environment);
    }

    private StackLockedException(String message) {
        super(message);
    }

    /** A shared stack's state, which any environment of the project may be applying, is locked. */
    public static StackLockedException shared(String stack, String project, LockInfo holder) {
        return new StackLockedException("the state of shared stack '" + stack + "' of project " + project
                + " is locked: " + holder.describe() + ". If no run of the project is going on (it was killed),"
                + " release it with: bin/berth unlock --shared " + stack + " --project " + project);
    }
}
