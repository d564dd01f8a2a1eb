package hudson;

/** Subset of jenkins-core {@code hudson.ExtensionPoint} (jenkins-2.541.3). */
public interface ExtensionPoint {}
