package io.jenkins.plugins.berth.jenkins.config;

import hudson.model.Item;
import hudson.model.ItemGroup;
import io.jenkins.plugins.berth.pipeline.DeployDefaults;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import com.cloudbees.hudson.plugins.folder.AbstractFolderProperty;
import com.cloudbees.hudson.plugins.folder.AbstractFolderPropertyDescriptor;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * "Berth defaults" on any folder: what the deploys below it use where their deploy file says nothing.
 * A nearer folder's value wins over an outer folder's, which wins over Jenkins' (the steps read the result through {@code BerthDefaults}).
 */
public final class BerthFolderProperty extends AbstractFolderProperty<AbstractFolder<?>> {

    private final DeploySettings settings;

    @DataBoundConstructor
    public BerthFolderProperty(DeploySettings settings) {
        this.settings = settings == null ? new DeploySettings() : settings;
    }

    public DeploySettings getSettings() {
        return settings;
    }

    /** Whether saving this folder redeploys the environments below it that ran with other settings. */
    private boolean redeployOnSettingsChange;

    public boolean isRedeployOnSettingsChange() {
        return redeployOnSettingsChange;
    }

    @DataBoundSetter
    public void setRedeployOnSettingsChange(boolean redeployOnSettingsChange) {
        this.redeployOnSettingsChange = redeployOnSettingsChange;
    }

    /** For anything in {@code group}: its folders' defaults, nearest first, then Jenkins'. */
    public static DeployDefaults defaultsBelow(ItemGroup<?> group) {
        DeployDefaults defaults = DeployDefaults.NONE;
        while (group instanceof Item item) {
            if (group instanceof AbstractFolder<?> folder) {
                BerthFolderProperty property = folder.getProperties().get(BerthFolderProperty.class);
                if (property != null) {
                    defaults = defaults.over(property.getSettings().defaults());
                }
            }
            group = item.getParent();
        }
        return defaults.over(BerthGlobalConfiguration.get().getDefaults().defaults());
    }

    @Extension
    @Symbol("berthDefaults")
    public static final class DescriptorImpl extends AbstractFolderPropertyDescriptor {
        @Override
        public String getDisplayName() {
            return "Berth defaults";
        }
    }
}
