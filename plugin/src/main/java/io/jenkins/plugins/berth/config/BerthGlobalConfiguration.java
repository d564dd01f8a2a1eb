package io.jenkins.plugins.berth.config;

import hudson.Extension;
import hudson.ExtensionList;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Berth's settings under Manage Jenkins → System, and under {@code unclassified: berth:} in
 * Configuration as Code: whether Jenkins hosts the Terraform states and environment records of
 * Berth builds, and how many earlier versions of each state it keeps.
 */
@Extension
@Symbol("berth")
public class BerthGlobalConfiguration extends GlobalConfiguration {

    static final int DEFAULT_KEPT_VERSIONS = 10;

    private boolean hostStates = true;
    private int keptStateVersions = DEFAULT_KEPT_VERSIONS;

    public BerthGlobalConfiguration() {
        load();
    }

    public static BerthGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(BerthGlobalConfiguration.class);
    }

    public boolean isHostStates() {
        return hostStates;
    }

    /**
     * True (the default): Terraform states of the {@code http} backend and environment records live in
     * Jenkins, so any agent can deploy or tear down. False: in the deploying workspace, as the CLI keeps them.
     */
    @DataBoundSetter
    public void setHostStates(boolean hostStates) {
        this.hostStates = hostStates;
        save();
    }

    public int getKeptStateVersions() {
        return keptStateVersions;
    }

    /** Earlier versions kept of each Terraform state, shown on the Environments page; at least 1. */
    @DataBoundSetter
    public void setKeptStateVersions(int keptStateVersions) {
        this.keptStateVersions = Math.max(1, keptStateVersions);
        save();
    }
}
