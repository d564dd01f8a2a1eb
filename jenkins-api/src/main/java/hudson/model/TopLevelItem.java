package hudson.model;

import hudson.ExtensionPoint;

/** Subset of jenkins-core {@code hudson.model.TopLevelItem} (jenkins-2.541.3). */
public interface TopLevelItem extends Item, ExtensionPoint, Describable<TopLevelItem> {
    @Override
    TopLevelItemDescriptor getDescriptor();
}
