package io.jenkins.plugins.berth.jenkins.jobs;

import hudson.model.Cause;

/** Why Berth started a teardown build: shown on the build's page. */
public final class TeardownCause extends Cause {

    private final String why;

    public TeardownCause(String why) {
        this.why = why;
    }

    @Override
    public String getShortDescription() {
        return "Berth teardown: " + why;
    }
}
