package hudson.security;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;

/** Subset of jenkins-core {@code hudson.security.AccessControlled} (jenkins-2.541.3). */
public interface AccessControlled {
    ACL getACL();

    default void checkPermission(Permission permission) throws AccessDeniedException {
        throw new UnsupportedOperationException();
    }

    default boolean hasPermission(Permission permission) {
        throw new UnsupportedOperationException();
    }

    default boolean hasPermission2(Authentication a, Permission permission) {
        throw new UnsupportedOperationException();
    }
}
