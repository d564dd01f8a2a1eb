package jenkins.scm.api;

/** Subset of scm-api {@code jenkins.scm.api.SCMHead} (728.vc30dcf7a_0df5). */
public class SCMHead {
    public SCMHead(String name) {
        throw new UnsupportedOperationException();
    }

    public String getName() {
        throw new UnsupportedOperationException();
    }

    public abstract static class HeadByItem implements hudson.ExtensionPoint {
        public abstract SCMHead getHead(hudson.model.Item item);

        public static SCMHead findHead(hudson.model.Item item) {
            throw new UnsupportedOperationException();
        }
    }
}
