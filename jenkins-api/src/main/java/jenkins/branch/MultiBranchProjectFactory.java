package jenkins.branch;

import hudson.ExtensionPoint;
import hudson.model.AbstractDescribableImpl;
import hudson.model.ItemGroup;
import java.io.IOException;
import java.util.Map;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.SCMSourceCriteria;

/** Subset of branch-api {@code jenkins.branch.MultiBranchProjectFactory} (2.1280.v0d4e5b_b_460ef). */
public abstract class MultiBranchProjectFactory extends AbstractDescribableImpl<MultiBranchProjectFactory>
        implements ExtensionPoint {

    public static abstract class BySCMSourceCriteria extends MultiBranchProjectFactory {
        protected abstract SCMSourceCriteria getSCMSourceCriteria(SCMSource source);

        protected abstract MultiBranchProject<?, ?> doCreateProject(ItemGroup<?> parent, String name,
                Map<String, Object> attributes) throws IOException, InterruptedException;
    }
}
