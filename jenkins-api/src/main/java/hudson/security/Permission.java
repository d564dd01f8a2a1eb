package hudson.security;

import org.jvnet.localizer.Localizable;

/** Subset of jenkins-core {@code hudson.security.Permission} (jenkins-2.541.3). */
public final class Permission {
    public Permission(PermissionGroup group, String name, Localizable description, Permission impliedBy) {
        throw new UnsupportedOperationException();
    }

    public Permission(PermissionGroup group, String name, Localizable description, Permission impliedBy,
            PermissionScope scope) {
        throw new UnsupportedOperationException();
    }

    public boolean getEnabled() {
        throw new UnsupportedOperationException();
    }
}
