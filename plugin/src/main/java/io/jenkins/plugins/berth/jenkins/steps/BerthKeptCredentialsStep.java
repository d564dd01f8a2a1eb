package io.jenkins.plugins.berth.jenkins.steps;

import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import hudson.AbortException;
import hudson.Extension;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
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
    private String project;

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

    public String getProject() {
        return project;
    }

    /**
     * The environment's project: in its folder's teardown job, the kept deploy file is read from the controller,
     * which wrote it from the trusted revision, and never from the workspace.
     */
    @DataBoundSetter
    public void setProject(String project) {
        this.project = project == null || project.isBlank() ? null
                : EnvironmentNames.requireLabel("berthKeptCredentials: project", project);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(environment, state, project, context);
    }

    /** Reads one small file: synchronous, off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<List<Map<String, String>>> {
        private static final long serialVersionUID = 1L;

        private final String environment;
        private final String state;
        private final String project;

        Execution(String environment, String state, String project, StepContext context) {
            super(context);
            this.environment = environment;
            this.state = state;
            this.project = project;
        }

        @Override
        protected List<Map<String, String>> run() throws Exception {
            hudson.model.Run<?, ?> build = getContext().get(hudson.model.Run.class);
            if (project != null && build != null
                    && io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs.folderTornDownBy(build.getParent(), project)
                            .isPresent()) {
                if (!BerthStates.get().deployedWithCredentials(project, environment)) {
                    getContext().get(hudson.model.TaskListener.class).getLogger().println("berth: " + environment
                            + " was last deployed without credentials (an untrusted change), so its teardown runs"
                            + " without them too");
                    return List.of();
                }
                try {
                    return BerthStates.get().keptDeployFile(project, environment)
                            .map(CredentialBinding::forDeployFile).orElse(List.of());
                } catch (DeployFileException e) {
                    throw new AbortException("berth: " + e.getMessage());
                }
            }
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
            return Set.of(FilePath.class, hudson.model.TaskListener.class);
        }
    }
}
