package hudson.model.listeners;

import hudson.ExtensionPoint;
import hudson.model.Item;

/** Subset of jenkins-core {@code hudson.model.listeners.ItemListener} (jenkins-2.541.3). */
public class ItemListener implements ExtensionPoint {
    public void onDeleted(Item item) {
        throw new UnsupportedOperationException();
    }

    public void onUpdated(Item item) {
        throw new UnsupportedOperationException();
    }
}
