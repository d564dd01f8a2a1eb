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
 * as text: {@code agentLabel}, {@code registryUrl}, {@code registryCredentialsId}, {@code cloudCredentials}
 * and {@code ttl}. Needs no workspace, so the {@code berth} variable reads the agent label before {@code node}.
 */
public final class BerthDefaultsStep extends Step {

    private String project;

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

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(project, context);
    }

    /** Reads folder properties and, for a teardown job, one small file: off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final String project;

        Execution(String project, StepContext context) {
            super(context);
            this.project = project;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            Run<?, ?> build = getContext().get(Run.class);
            DeployDefaults defaults = BerthDefaults.forBuild(build, Optional.ofNullable(project));
            boolean credentials = io.jenkins.plugins.berth.jenkins.trust.BuildAccess.of(build,
                    getContext().get(TaskListener.class)).credentials();
            return (credentials ? defaults : defaults.withoutCredentials()).forPipeline();
        }
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
