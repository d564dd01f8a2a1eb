package io.jenkins.plugins.berth.model;

/** What a failed stage does to the run. */
public enum OnFailure {
    /** Stop the run (only {@code always} stages still run). The default. */
    ABORT,
    /** Record the failure and go on. */
    CONTINUE;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
