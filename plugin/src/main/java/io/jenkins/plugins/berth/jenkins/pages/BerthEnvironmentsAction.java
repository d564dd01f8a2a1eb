package io.jenkins.plugins.berth.jenkins.pages;

import io.jenkins.plugins.berth.environments.StateException;
import hudson.Extension;
import hudson.model.RootAction;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import jenkins.model.Jenkins;

/**
 * The administrators' overview ({@code /berth-environments/}): every environment whose records Jenkins
 * hosts, those of plain Pipeline jobs included. It only shows; the buttons are on each folder's
 * Environments page ({@link FolderEnvironmentsAction}), where the folder's permissions apply.
 */
@Extension
public final class BerthEnvironmentsAction implements RootAction {

    @Override
    public String getIconFileName() {
        return Jenkins.get().hasPermission(Jenkins.ADMINISTER) ? "symbol-cube" : null;
    }

    @Override
    public String getDisplayName() {
        return "Berth environments";
    }

    @Override
    public String getUrlName() {
        return "berth-environments";
    }

    /** What the page lists; branches are unknown here, so only expiry decides what happens next. */
    public List<EnvironmentEntries.Entry> getEntries() throws IOException, StateException {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        return EnvironmentEntries.of(BerthStates.get().projects(), Optional.empty());
    }
}
