package hudson.security;

import hudson.model.ModelObject;

/** Subset of jenkins-core {@code hudson.security.PermissionScope} (jenkins-2.541.3): the item scope. */
public final class PermissionScope {
    public static final PermissionScope ITEM = null;

    public PermissionScope(Class<? extends ModelObject> modelClass, PermissionScope... containers) {
        throw new UnsupportedOperationException();
    }
}
