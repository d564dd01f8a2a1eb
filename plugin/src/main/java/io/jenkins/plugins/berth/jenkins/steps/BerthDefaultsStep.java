package io.jenkins.plugins.berth.jenkins.steps;

import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.pipeline.DeployDefaults;
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
 * {@code berthDefaults()}: the defaults this build deploys with (its folders' Berth defaults over Jenkins'),
 * as text: {@code agentLabel}, {@code registryUrl}, {@code registryHost}, {@code registryCredentialsId},
 * {@code cloudCredentials} and {@code ttl}, and {@code credentials}: whether the build is trusted with credentials (the
 * ids are empty when not). Needs no workspace, so the {@code berth} variable reads the agent label before {@code node}.
 */
public final class BerthDefaultsStep extends Step {

    private String project;
    private String environment;

    @DataBoundConstructor
    public BerthDefaultsStep() {}

    public String getProject() {
        return project;
    }

    /** The environment's project: in a folder's teardown job, it names the folder whose defaults apply. */
    @DataBoundSetter
    public void setProject(String project) {
        this.project = project == null || project.isBlank() ? null
                : io.jenkins.plugins.berth.model.EnvironmentNames.requireLabel("berthDefaults: project", project);
    }

    public String getEnvironment() {
        return environment;
    }

    /**
     * In a folder's teardown job, the environment torn down: its teardown gets no more credentials than its
     * last deploy had.
     */
    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = environment == null || environment.isBlank() ? null
                : io.jenkins.plugins.berth.model.EnvironmentNames.requireLabel("berthDefaults: environment", environment);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(project, environment, context);
    }

    /** Reads folder properties and, for a teardown job, one small file: off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final String project;
        private final String environment;

        Execution(String project, String environment, StepContext context) {
            super(context);
            this.project = project;
            this.environment = environment;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> build = getContext().get(Run.class);
            DeployDefaults defaults = BerthDefaults.forBuild(build, Optional.ofNullable(project));
            boolean credentials = io.jenkins.plugins.berth.jenkins.trust.BuildAccess.of(build,
                    getContext().get(TaskListener.class)).credentials() && teardownMayHaveCredentials(build, project, environment);
            Map<String, Object> values = (credentials ? defaults : defaults.withoutCredentials()).forPipeline();
            // Whether this build is trusted with credentials at all: the berth variable binds no login it is given
            // (a release stage's) otherwise.
            values.put("credentials", credentials);
            return values;
        }
    }

    /** False in a folder's teardown job for an environment whose last deploy had no credentials. */
    private static boolean teardownMayHaveCredentials(Run<?, ?> build, String project, String environment)
            throws java.io.IOException {
        return project == null || environment == null
                || io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs.folderTornDownBy(build.getParent(), project).isEmpty()
                || io.jenkins.plugins.berth.jenkins.hosting.BerthStates.get().deployedWithCredentials(project, environment);
    }

    @Extension
    @Symbol("berthDefaults")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "berthDefaults";
        }

        @Override
        public String getDisplayName() {
            return "Berth defaults of this build's folder";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
