package hudson.model;

/** Subset of jenkins-core {@code hudson.model.AbstractDescribableImpl} (jenkins-2.541.3). */
public abstract class AbstractDescribableImpl<T extends AbstractDescribableImpl<T>> implements Describable<T> {}
