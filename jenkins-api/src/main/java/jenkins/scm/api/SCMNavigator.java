package jenkins.scm.api;

import java.io.IOException;

/** Subset of scm-api {@code jenkins.scm.api.SCMNavigator} (728.vc30dcf7a_0df5). */
public abstract class SCMNavigator {
    protected SCMNavigator() {
        throw new UnsupportedOperationException();
    }

    protected abstract String id();

    public abstract void visitSources(SCMSourceObserver observer) throws IOException, InterruptedException;
}
