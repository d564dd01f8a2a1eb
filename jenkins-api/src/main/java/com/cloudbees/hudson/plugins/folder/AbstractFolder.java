package com.cloudbees.hudson.plugins.folder;

import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.Job;
import hudson.model.TopLevelItem;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.util.DescribableList;
import java.io.File;
import java.io.IOException;
import java.util.Collection;
import org.springframework.security.access.AccessDeniedException;

/** Subset of cloudbees-folder {@code com.cloudbees.hudson.plugins.folder.AbstractFolder} (6.1079.vc0975c2de294). */
public abstract class AbstractFolder<I extends TopLevelItem> implements TopLevelItem, ItemGroup<I> {
    protected AbstractFolder(ItemGroup parent, String name) {
        throw new UnsupportedOperationException();
    }

    public ItemGroup getParent() {
        throw new UnsupportedOperationException();
    }

    public Collection<? extends Job> getAllJobs() {
        throw new UnsupportedOperationException();
    }

    public String getName() {
        throw new UnsupportedOperationException();
    }

    public final String getFullName() {
        throw new UnsupportedOperationException();
    }

    public final String getFullDisplayName() {
        throw new UnsupportedOperationException();
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException();
    }

    public final String getUrl() {
        throw new UnsupportedOperationException();
    }

    public String getShortUrl() {
        throw new UnsupportedOperationException();
    }

    public void onLoad(ItemGroup<? extends Item> parent, String name) throws IOException {
        throw new UnsupportedOperationException();
    }

    public void onCopiedFrom(Item src) {
        throw new UnsupportedOperationException();
    }

    public synchronized void save() throws IOException {
        throw new UnsupportedOperationException();
    }

    public void delete() throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public ACL getACL() {
        throw new UnsupportedOperationException();
    }

    public Collection<I> getItems() {
        throw new UnsupportedOperationException();
    }

    public I getItem(String name) throws AccessDeniedException {
        throw new UnsupportedOperationException();
    }

    public File getRootDirFor(I child) {
        throw new UnsupportedOperationException();
    }

    public String getUrlChildPrefix() {
        throw new UnsupportedOperationException();
    }

    public void onDeleted(I item) throws IOException {
        throw new UnsupportedOperationException();
    }

    public DescribableList<AbstractFolderProperty<?>, AbstractFolderPropertyDescriptor> getProperties() {
        throw new UnsupportedOperationException();
    }

    public AbstractFolderDescriptor getDescriptor() {
        throw new UnsupportedOperationException();
    }
}
