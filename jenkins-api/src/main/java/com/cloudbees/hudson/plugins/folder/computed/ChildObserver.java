package com.cloudbees.hudson.plugins.folder.computed;

import hudson.model.TopLevelItem;
import java.util.Map;
import java.util.Set;

/** Subset of cloudbees-folder {@code com.cloudbees.hudson.plugins.folder.computed.ChildObserver} (6.1079.vc0975c2de294). */
public abstract class ChildObserver<I extends TopLevelItem> implements AutoCloseable {
    private ChildObserver() {
        throw new UnsupportedOperationException();
    }

    public abstract I shouldUpdate(String name) throws InterruptedException;

    public abstract boolean mayCreate(String name);

    public abstract void created(I child);

    public abstract void completed(String name);

    public abstract Set<String> observed();

    public abstract Map<String, I> orphaned();

    @Override
    public abstract void close();
}
