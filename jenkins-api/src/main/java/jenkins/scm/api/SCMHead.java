package jenkins.scm.api;

/** Subset of scm-api {@code jenkins.scm.api.SCMHead} (728.vc30dcf7a_0df5). */
public class SCMHead {
    public SCMHead(String name) {
        throw new UnsupportedOperationException();
    }

    public String getName() {
        throw new UnsupportedOperationException();
    }
}
