package jenkins.branch;

import jenkins.scm.api.SCMHead;

/** Subset of branch-api {@code jenkins.branch.Branch} (2.1280.v0d4e5b_b_460ef). */
public class Branch {
    private Branch() {
        throw new UnsupportedOperationException();
    }

    public String getSourceId() {
        throw new UnsupportedOperationException();
    }

    public String getName() {
        throw new UnsupportedOperationException();
    }

    public SCMHead getHead() {
        throw new UnsupportedOperationException();
    }

    public static class Dead extends Branch {
        public Dead(Branch b) {
            throw new UnsupportedOperationException();
        }
    }
}
