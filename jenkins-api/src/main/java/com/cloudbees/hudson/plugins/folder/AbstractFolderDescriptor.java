package com.cloudbees.hudson.plugins.folder;

import hudson.model.TopLevelItemDescriptor;

/** Subset of cloudbees-folder {@code com.cloudbees.hudson.plugins.folder.AbstractFolderDescriptor} (6.1079.vc0975c2de294). */
public abstract class AbstractFolderDescriptor extends TopLevelItemDescriptor {
    protected AbstractFolderDescriptor() {
        throw new UnsupportedOperationException();
    }
}
