package jenkins.model;

import org.springframework.security.access.AccessDeniedException;
import java.util.List;
import java.io.InputStream;
import java.io.IOException;
import hudson.model.TopLevelItemDescriptor;
import hudson.model.TopLevelItem;
import hudson.model.Item;
import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.io.File;
import org.springframework.security.core.Authentication;

/** Subset of jenkins-core {@code jenkins.model.Jenkins} (jenkins-2.541.3). */
public class Jenkins implements DirectlyModifiableTopLevelItemGroup, AccessControlled {
    public static final Permission ADMINISTER = null;

    public static final Authentication ANONYMOUS2 = null;

    private Jenkins() {
        throw new UnsupportedOperationException();
    }

    public static Jenkins get() throws IllegalStateException {
        throw new UnsupportedOperationException();
    }

    public File getRootDir() {
        throw new UnsupportedOperationException();
    }

    public String getRootUrl() throws IllegalStateException {
        throw new UnsupportedOperationException();
    }

    @Override
    public ACL getACL() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<TopLevelItem> getItems() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getFullName() {
        throw new UnsupportedOperationException();
    }

    public String getUrl() {
        throw new UnsupportedOperationException();
    }

    @Override
    public String getUrlChildPrefix() {
        throw new UnsupportedOperationException();
    }

    @Override
    public TopLevelItem getItem(String name) throws AccessDeniedException {
        throw new UnsupportedOperationException();
    }

    @Override
    public File getRootDirFor(TopLevelItem child) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void onDeleted(TopLevelItem item) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean canAdd(TopLevelItem item) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized <I extends TopLevelItem> I add(I item, String name) throws IOException, IllegalArgumentException {
        throw new UnsupportedOperationException();
    }

    @Override
    public void remove(TopLevelItem item) throws IOException, IllegalArgumentException {
        throw new UnsupportedOperationException();
    }

    @Override
    public TopLevelItem createProjectFromXML(String name, InputStream xml) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public <T extends TopLevelItem> T copy(T src, String name) throws IOException {
        throw new UnsupportedOperationException();
    }

    @Override
    public TopLevelItem createProject(TopLevelItemDescriptor type, String name, boolean notify) throws IOException {
        throw new UnsupportedOperationException();
    }

    public <T extends Item> T getItemByFullName(String fullName, Class<T> type) throws AccessDeniedException {
        throw new UnsupportedOperationException();
    }
}
