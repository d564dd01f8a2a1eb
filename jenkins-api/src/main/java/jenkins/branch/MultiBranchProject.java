package jenkins.branch;

import com.cloudbees.hudson.plugins.folder.computed.ChildObserver;
import com.cloudbees.hudson.plugins.folder.computed.ComputedFolder;
import hudson.model.ItemGroup;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.model.TopLevelItem;
import java.io.IOException;
import java.util.List;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.SCMSourceOwner;

/** Subset of branch-api {@code jenkins.branch.MultiBranchProject} (2.1280.v0d4e5b_b_460ef). */
public abstract class MultiBranchProject<P extends Job<P, R> & TopLevelItem, R extends Run<P, R>>
        extends ComputedFolder<P> implements SCMSourceOwner {
    protected MultiBranchProject(ItemGroup parent, String name) {
        super(parent, name);
        throw new UnsupportedOperationException();
    }

    protected abstract BranchProjectFactory<P, R> newProjectFactory();

    public BranchProjectFactory<P, R> getProjectFactory() {
        throw new UnsupportedOperationException();
    }

    public synchronized void setProjectFactory(BranchProjectFactory<P, R> projectFactory) {
        throw new UnsupportedOperationException();
    }

    public List<SCMSource> getSCMSources() {
        throw new UnsupportedOperationException();
    }

    public void onSCMSourceUpdated(SCMSource source) {
        throw new UnsupportedOperationException();
    }

    protected void computeChildren(final ChildObserver<P> observer, final TaskListener listener) throws IOException, InterruptedException {
        throw new UnsupportedOperationException();
    }

    public MultiBranchProjectDescriptor getDescriptor() {
        throw new UnsupportedOperationException();
    }
}
