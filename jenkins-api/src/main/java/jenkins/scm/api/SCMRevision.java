package jenkins.scm.api;

import java.io.Serializable;

/** Subset of scm-api {@code jenkins.scm.api.SCMRevision} (728.vc30dcf7a_0df5). */
public abstract class SCMRevision implements Serializable {
    protected SCMRevision(SCMHead head) {
        throw new UnsupportedOperationException();
    }

    @Override
    public abstract boolean equals(Object obj);

    @Override
    public abstract int hashCode();
}
