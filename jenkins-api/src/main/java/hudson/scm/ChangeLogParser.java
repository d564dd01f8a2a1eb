package hudson.scm;

/** Subset of jenkins-core {@code hudson.scm.ChangeLogParser} (jenkins-2.541.3). */
public abstract class ChangeLogParser {}
