package hudson.security;

import org.springframework.security.core.Authentication;

/** Subset of jenkins-core {@code hudson.security.ACL} (jenkins-2.541.3): running as SYSTEM. */
public abstract class ACL {
    public static final Authentication SYSTEM2 = null;

    public static ACLContext as2(Authentication auth) {
        throw new UnsupportedOperationException();
    }
}
