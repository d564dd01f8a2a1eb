package hudson.model;

import hudson.ExtensionPoint;

/** Subset of jenkins-core {@code hudson.model.DescriptorVisibilityFilter} (jenkins-2.541.3). */
public abstract class DescriptorVisibilityFilter implements ExtensionPoint {
    @SuppressWarnings("rawtypes")
    public abstract boolean filter(Object context, Descriptor descriptor);
}
