package io.jenkins.plugins.berth.jenkins.config;

import hudson.Extension;
import hudson.ExtensionList;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * Berth's settings under Manage Jenkins → System, and under {@code unclassified: berth:} in
 * Configuration as Code: the defaults every deploy inherits unless a folder sets its own (agent label,
 * registry, cloud credentials, ttl, where states live), and how many earlier versions of each hosted
 * Terraform state Jenkins keeps.
 */
@Extension
@Symbol("berth")
public class BerthGlobalConfiguration extends GlobalConfiguration {

    static final int DEFAULT_KEPT_VERSIONS = 10;

    private DeploySettings defaults = new DeploySettings();
    private int keptStateVersions = DEFAULT_KEPT_VERSIONS;

    public BerthGlobalConfiguration() {
        load();
    }

    public static BerthGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(BerthGlobalConfiguration.class);
    }

    public DeploySettings getDefaults() {
        return defaults;
    }

    /** What deploys use where neither their deploy file nor a folder says otherwise. */
    @DataBoundSetter
    public void setDefaults(DeploySettings defaults) {
        this.defaults = defaults == null ? new DeploySettings() : defaults;
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
