package jenkins.scm.api;

import java.io.IOException;

/** Subset of scm-api {@code jenkins.scm.api.SCMHeadObserver} (728.vc30dcf7a_0df5). */
public abstract class SCMHeadObserver {
    public abstract void observe(SCMHead head, SCMRevision revision) throws IOException, InterruptedException;
}
