package hudson.model;

import hudson.ExtensionPoint;

/** Subset of jenkins-core {@code hudson.model.RootAction} (jenkins-2.541.3). */
public interface RootAction extends Action, ExtensionPoint {}
