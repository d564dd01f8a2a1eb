package hudson.security;

import org.jvnet.localizer.Localizable;

/** Subset of jenkins-core {@code hudson.security.PermissionGroup} (jenkins-2.541.3). */
public final class PermissionGroup {
    public PermissionGroup(String id, Class owner, Localizable title) throws IllegalStateException {
        throw new UnsupportedOperationException();
    }
}
