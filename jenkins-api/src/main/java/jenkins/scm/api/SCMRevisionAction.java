package jenkins.scm.api;

import hudson.model.Actionable;

/** Subset of scm-api {@code jenkins.scm.api.SCMRevisionAction} (728.vc30dcf7a_0df5). */
public class SCMRevisionAction {
    private SCMRevisionAction() {
        throw new UnsupportedOperationException();
    }

    public static SCMRevision getRevision(SCMSource source, Actionable actionable) {
        throw new UnsupportedOperationException();
    }
}
