package hudson.scm;

import hudson.ExtensionPoint;
import hudson.model.Describable;

/** Subset of jenkins-core {@code hudson.scm.SCM} (jenkins-2.541.3). */
public abstract class SCM implements Describable<SCM>, ExtensionPoint {
    public abstract ChangeLogParser createChangeLogParser();
}
