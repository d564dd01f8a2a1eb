package io.jenkins.plugins.berth.jenkins.steps;

import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.DeployFiles;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code berthKeptCredentials(environment: 'shop-feature-x')}: the credentials the deploy file kept at an
 * environment's last deploy names, as {@code berthPlan} lists them, so that a teardown with no checkout
 * binds what its teardown stages and Terraform variables need. Run it inside {@code berthEnvironment},
 * which brings the kept files into the state folder. No kept deploy file: an empty list.
 */
public final class BerthKeptCredentialsStep extends Step {

    private final String environment;
    private String state = BerthEnvironmentStep.DEFAULT_STATE;

    @DataBoundConstructor
    public BerthKeptCredentialsStep(String environment) {
        this.environment = EnvironmentNames.requireLabel("berthKeptCredentials: environment", environment);
    }

    public String getEnvironment() {
        return environment;
    }

    public String getState() {
        return state;
    }

    @DataBoundSetter
    public void setState(String state) {
        this.state = BerthEnvironmentStep.stateFolder(state);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(environment, state, context);
    }

    /** Reads one small file: synchronous, off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<List<Map<String, String>>> {
        private static final long serialVersionUID = 1L;

        private final String environment;
        private final String state;

        Execution(String environment, String state, StepContext context) {
            super(context);
            this.environment = environment;
            this.state = state;
        }

        @Override
        protected List<Map<String, String>> run() throws Exception {
            FilePath kept = getContext().get(FilePath.class).child(state).child(StateLayout.keptFolder(environment));
            for (String name : DeployFiles.NAMES) {
                FilePath file = kept.child(name);
                if (file.exists()) {
                    try {
                        return CredentialBinding.forDeployFile(DeployFiles.parse(file.getRemote(),
                                file.readToString().getBytes(StandardCharsets.UTF_8), Optional.empty()));
                    } catch (DeployFileException e) {
                        throw new AbortException("berth: " + e.getMessage());
                    }
                }
            }
            return List.of();
        }
    }

    @Extension
    @Symbol("berthKeptCredentials")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "berthKeptCredentials";
        }

        @Override
        public String getDisplayName() {
            return "Credentials of a Berth environment's kept deploy file";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class);
        }
    }
}
