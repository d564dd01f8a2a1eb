package com.cloudbees.hudson.plugins.folder;

import hudson.model.Descriptor;

/** Subset of cloudbees-folder {@code com.cloudbees.hudson.plugins.folder.AbstractFolderPropertyDescriptor} (6.1079.vc0975c2de294). */
public abstract class AbstractFolderPropertyDescriptor extends Descriptor<AbstractFolderProperty<?>> {}
