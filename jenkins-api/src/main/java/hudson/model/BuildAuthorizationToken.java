package hudson.model;

/** Subset of jenkins-core {@code hudson.model.BuildAuthorizationToken} (jenkins-2.541.3). */
public final class BuildAuthorizationToken {
    private BuildAuthorizationToken() {
        throw new UnsupportedOperationException();
    }
}
