package io.jenkins.plugins.berth.jenkins.trust;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.pipeline.ChangeAccess;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;

/**
 * {@code berthAccess()}: what this build's deploy may use ({@link BuildAccess}), for the {@code berth} variable
 * to say in the log and to wait for an approval: {@code change}, {@code pullRequest}, {@code trusted},
 * {@code credentials}, {@code waitsForApproval} and {@code summary}. The steps that hand out credentials
 * decide again for themselves; this answer only informs.
 */
public final class BerthAccessStep extends Step {

    @DataBoundConstructor
    public BerthAccessStep() {}

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(context);
    }

    /** May ask the branch source for the trusted revision (a remote call): off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        Execution(StepContext context) {
            super(context);
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            ChangeAccess access = BuildAccess.of(getContext().get(Run.class), getContext().get(TaskListener.class));
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("change", access.change());
            values.put("pullRequest", access.pullRequest());
            values.put("trusted", access.trusted());
            values.put("credentials", access.credentials());
            values.put("waitsForApproval", access.waitsForApproval());
            values.put("summary", access.summary());
            return values;
        }
    }

    @Extension
    @Symbol("berthAccess")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "berthAccess";
        }

        @Override
        public String getDisplayName() {
            return "What this build's Berth deploy may use";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
