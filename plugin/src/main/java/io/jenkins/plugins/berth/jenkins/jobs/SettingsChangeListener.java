package io.jenkins.plugins.berth.jenkins.jobs;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import hudson.Extension;
import hudson.model.Item;
import hudson.model.listeners.ItemListener;
import io.jenkins.plugins.berth.jenkins.config.BerthFolderProperty;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import java.io.IOException;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/**
 * When a folder whose Berth defaults say {@code redeploy_on_settings_change} is saved, redeploys the
 * environments of the Berth folders at and below it that ran with other settings ({@link SettingsRedeploys}).
 */
@Extension
public final class SettingsChangeListener extends ItemListener {

    private static final Logger LOGGER = Logger.getLogger(SettingsChangeListener.class.getName());

    @Override
    public void onUpdated(Item item) {
        if (!(item instanceof AbstractFolder<?> folder)) {
            return;
        }
        BerthFolderProperty property = folder.getProperties().get(BerthFolderProperty.class);
        if (property == null || !property.isRedeployOnSettingsChange()) {
            return;
        }
        try {
            for (String name : BerthStates.get().folders()) {
                if (!name.equals(folder.getFullName()) && !name.startsWith(folder.getFullName() + "/")) {
                    continue;
                }
                WorkflowMultiBranchProject berthFolder = Jenkins.get().getItemByFullName(name,
                        WorkflowMultiBranchProject.class);
                if (berthFolder != null) {
                    List<String> scheduled = SettingsRedeploys.schedule(berthFolder,
                            "saved in " + folder.getFullName(), false);
                    if (!scheduled.isEmpty()) {
                        LOGGER.info("Berth: settings of " + folder.getFullName() + " changed; redeploying " + scheduled);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOGGER.log(Level.WARNING, "Berth: could not redeploy after the settings of " + folder.getFullName()
                    + " changed", e);
        }
    }
}
