package jenkins.branch;

import hudson.model.AbstractDescribableImpl;
import hudson.model.Item;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TopLevelItem;

/** Subset of branch-api {@code jenkins.branch.BranchProjectFactory} (2.1280.v0d4e5b_b_460ef). */
public abstract class BranchProjectFactory<P extends Job<P, R> & TopLevelItem, R extends Run<P, R>>
        extends AbstractDescribableImpl<BranchProjectFactory<?, ?>> {
    public abstract P newInstance(Branch branch);

    public abstract Branch getBranch(P project);

    public abstract P setBranch(P project, Branch branch);

    public abstract boolean isProject(Item item);
}
