package jenkins.scm.api;

import hudson.scm.SCM;
import java.util.Map;

/** Subset of scm-api {@code jenkins.scm.api.SCMHeadEvent} (728.vc30dcf7a_0df5). */
public abstract class SCMHeadEvent<P> {
    private SCMHeadEvent() {
        throw new UnsupportedOperationException();
    }

    public abstract boolean isMatch(SCMNavigator navigator);

    public abstract String getSourceName();

    public abstract Map<SCMHead, SCMRevision> heads(SCMSource source);

    public abstract boolean isMatch(SCM scm);
}
