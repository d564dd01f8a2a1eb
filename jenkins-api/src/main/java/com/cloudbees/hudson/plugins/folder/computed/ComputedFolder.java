package com.cloudbees.hudson.plugins.folder.computed;

import com.cloudbees.hudson.plugins.folder.AbstractFolder;
import hudson.model.ItemGroup;
import hudson.model.TaskListener;
import hudson.model.TopLevelItem;
import java.io.IOException;

/** Subset of cloudbees-folder {@code com.cloudbees.hudson.plugins.folder.computed.ComputedFolder} (6.1079.vc0975c2de294). */
public abstract class ComputedFolder<I extends TopLevelItem> extends AbstractFolder<I> {
    protected ComputedFolder(ItemGroup parent, String name) {
        super(parent, name);
        throw new UnsupportedOperationException();
    }

    protected abstract void computeChildren(ChildObserver<I> observer, TaskListener listener)
            throws IOException, InterruptedException;
}
