package jenkins.branch;

import hudson.model.Descriptor;

/** Subset of branch-api {@code jenkins.branch.BranchProjectFactoryDescriptor} (2.1280.v0d4e5b_b_460ef). */
public abstract class BranchProjectFactoryDescriptor extends Descriptor<BranchProjectFactory<?, ?>> {
    public abstract boolean isApplicable(Class<? extends MultiBranchProject> clazz);
}
