package hudson.security;

/** Subset of jenkins-core {@code hudson.security.ACL} (jenkins-2.541.3): the type only. */
public abstract class ACL {}
