package jenkins.scm.api;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;
import hudson.model.Item;
import hudson.model.TaskListener;
import hudson.scm.SCM;
import java.io.IOException;

/** Subset of scm-api {@code jenkins.scm.api.SCMSource} (728.vc30dcf7a_0df5). */
public abstract class SCMSource extends AbstractDescribableImpl<SCMSource> {
    protected SCMSource() {
        throw new UnsupportedOperationException();
    }

    protected abstract void retrieve(SCMSourceCriteria criteria, SCMHeadObserver observer, SCMHeadEvent<?> event,
            TaskListener listener) throws IOException, InterruptedException;

    public abstract SCM build(SCMHead head, SCMRevision revision);

    public SCMRevision getTrustedRevision(SCMRevision revision, TaskListener listener)
            throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public abstract static class SourceByItem implements ExtensionPoint {
        public abstract SCMSource getSource(Item item);

        public static SCMSource findSource(Item item) {
            throw new UnsupportedOperationException();
        }
    }
}
