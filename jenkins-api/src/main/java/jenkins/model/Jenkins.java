package jenkins.model;

import hudson.security.ACL;
import hudson.security.AccessControlled;
import hudson.security.Permission;
import java.io.File;
import org.springframework.security.core.Authentication;

/** Subset of jenkins-core {@code jenkins.model.Jenkins} (jenkins-2.541.3). */
public class Jenkins implements AccessControlled {
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
}
