package jenkins.model;

import hudson.ExtensionPoint;
import hudson.model.Action;
import java.util.Collection;

/** Subset of jenkins-core {@code jenkins.model.TransientActionFactory} (jenkins-2.541.3). */
public abstract class TransientActionFactory<T> implements ExtensionPoint {
    public abstract Class<T> type();

    public abstract Collection<? extends Action> createFor(T target);
}
