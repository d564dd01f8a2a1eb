package hudson.security;

/** Subset of jenkins-core {@code hudson.security.ACLContext} (jenkins-2.541.3). */
public class ACLContext implements AutoCloseable {
    private ACLContext() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException();
    }
}
