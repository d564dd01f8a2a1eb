package io.jenkins.plugins.berth.jenkins.jobs;

import hudson.model.Cause;

/**
 * Why a branch job runs in redeploy mode ({@code berth redeploy}: stages and publish again with the last
 * images and outputs, nothing built or applied): its folder's Berth settings changed since the environment's
 * last deploy. {@code berthPlan} reads it from the build, on the controller.
 */
public final class SettingsRedeployCause extends Cause {

    private final String version;
    private final String why;

    public SettingsRedeployCause(String version, String why) {
        this.version = version;
        this.why = why;
    }

    /** The settings version the redeploy runs with. */
    public String getVersion() {
        return version;
    }

    @Override
    public String getShortDescription() {
        return "Redeploy: the folder's Berth settings changed (now version " + version + "), " + why;
    }
}
