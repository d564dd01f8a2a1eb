package jenkins.branch;

import com.cloudbees.hudson.plugins.folder.AbstractFolderDescriptor;

/** Subset of branch-api {@code jenkins.branch.MultiBranchProjectDescriptor} (2.1280.v0d4e5b_b_460ef). */
public abstract class MultiBranchProjectDescriptor extends AbstractFolderDescriptor {
    protected MultiBranchProjectDescriptor() {
        throw new UnsupportedOperationException();
    }
}
