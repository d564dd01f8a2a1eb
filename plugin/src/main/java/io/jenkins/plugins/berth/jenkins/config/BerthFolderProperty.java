package io.jenkins.plugins.berth.jenkins.config;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import com.cloudbees.hudson.plugins.folder.AbstractFolderProperty;
import com.cloudbees.hudson.plugins.folder.AbstractFolderPropertyDescriptor;
import hudson.Extension;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.DataBoundConstructor;

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

    @Extension
    @Symbol("berthDefaults")
    public static final class DescriptorImpl extends AbstractFolderPropertyDescriptor {
        @Override
        public String getDisplayName() {
            return "Berth defaults";
        }
    }
}
