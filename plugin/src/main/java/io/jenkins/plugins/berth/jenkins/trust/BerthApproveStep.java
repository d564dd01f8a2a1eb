package io.jenkins.plugins.berth.jenkins.trust;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.security.AccessControlled;
import io.jenkins.plugins.berth.jenkins.pages.BerthPermissions;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code berthApprove(approver: id)}: after an {@code input} that named the change, records the approval
 * on the build when the user who submitted it has Berth/Approve on the build's folder, and returns whether
 * it did. The {@code input} itself lets anyone with Job/Build proceed; this is where the permission is
 * checked, so an approval by someone without it does not count (the {@code berth} variable asks again).
 */
public final class BerthApproveStep extends Step {

    private final String approver;

    @DataBoundConstructor
    public BerthApproveStep(String approver) {
        this.approver = approver;
    }

    public String getApprover() {
        return approver;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(approver, context);
    }

    static final class Execution extends SynchronousNonBlockingStepExecution<Boolean> {
        private static final long serialVersionUID = 1L;

        private final String approver;

        Execution(String approver, StepContext context) {
            super(context);
            this.approver = approver;
        }

        @Override
        protected Boolean run() throws Exception {
            Run<?, ?> build = getContext().get(Run.class);
            TaskListener listener = getContext().get(TaskListener.class);
            if (!mayApprove(build, approver)) {
                listener.getLogger().println("berth: " + approver + " has no Berth/Approve permission on "
                        + build.getParent().getParent().getFullName()
                        + ", so the approval does not count");
                return false;
            }
            build.addAction(new ChangeApproval(approver));
            return true;
        }

        /** Whether the user holds Berth/Approve on the build's folder (the job's parent). */
        private static boolean mayApprove(Run<?, ?> build, String approver) {
            return build.getParent().getParent() instanceof AccessControlled folder
                    && UserPermissions.holds(approver, folder, BerthPermissions.APPROVE);
        }
    }

    @Extension
    @Symbol("berthApprove")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "berthApprove";
        }

        @Override
        public String getDisplayName() {
            return "Record the approval of an untrusted change for Berth";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
