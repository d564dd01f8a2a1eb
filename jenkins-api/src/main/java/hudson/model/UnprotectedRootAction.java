package hudson.model;

import hudson.ExtensionPoint;

/** Subset of jenkins-core {@code hudson.model.UnprotectedRootAction} (jenkins-2.541.3). */
public interface UnprotectedRootAction extends RootAction, ExtensionPoint {}
