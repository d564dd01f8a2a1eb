package com.cloudbees.hudson.plugins.folder;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;

/** Subset of cloudbees-folder {@code com.cloudbees.hudson.plugins.folder.AbstractFolderProperty} (6.1079.vc0975c2de294). */
public abstract class AbstractFolderProperty<C extends AbstractFolder<?>>
        extends AbstractDescribableImpl<AbstractFolderProperty<?>> implements ExtensionPoint {
    public AbstractFolderPropertyDescriptor getDescriptor() {
        throw new UnsupportedOperationException();
    }
}
