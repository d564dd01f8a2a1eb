package jenkins.branch;

import hudson.model.Descriptor;

/** Subset of branch-api {@code jenkins.branch.MultiBranchProjectFactoryDescriptor} (2.1280.v0d4e5b_b_460ef). */
public abstract class MultiBranchProjectFactoryDescriptor extends Descriptor<MultiBranchProjectFactory> {
    protected MultiBranchProjectFactoryDescriptor() {
        throw new UnsupportedOperationException();
    }

    public abstract MultiBranchProjectFactory newInstance();
}
