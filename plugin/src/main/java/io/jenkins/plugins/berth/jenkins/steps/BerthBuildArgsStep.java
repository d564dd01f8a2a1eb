package io.jenkins.plugins.berth.jenkins.steps;

import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.model.BuildArgValues;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.model.MissingBuildArg;
import io.jenkins.plugins.berth.pipeline.BuildArgNotes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code berthBuildArgs(project:, environment:, parameters: ['web.TOKEN'], ...)}: the controller's side of
 * asking for build arguments the first build of an environment lacks ({@code berthPlan}'s
 * {@code missingBuildArgs}). With {@code waiting: true} it notes that the build waits (the Environments page
 * says "needs build arguments") and logs what is missing; with {@code waiting: false} it ends the wait (the
 * {@code input} was aborted); with {@code values: ['web.TOKEN=...']} (the {@code input}'s answer) it checks that
 * each has a value, remembers them for the environment's later builds, ends the wait, and returns
 * {@code [environment: ['BERTH_BUILD_ARGS=...']]} for the runner. The rules live in core's {@link BuildArgNotes}.
 */
public final class BerthBuildArgsStep extends Step {

    private final String project;
    private final String environment;
    private final List<String> parameters;
    private Boolean waiting;
    private List<String> values;

    @DataBoundConstructor
    public BerthBuildArgsStep(String project, String environment, List<String> parameters) {
        this.project = EnvironmentNames.requireLabel("berthBuildArgs: project", project);
        this.environment = EnvironmentNames.requireLabel("berthBuildArgs: environment", environment);
        this.parameters = List.copyOf(parameters);
    }

    public String getProject() {
        return project;
    }

    public String getEnvironment() {
        return environment;
    }

    public List<String> getParameters() {
        return parameters;
    }

    public Boolean getWaiting() {
        return waiting;
    }

    @DataBoundSetter
    public void setWaiting(Boolean waiting) {
        this.waiting = waiting;
    }

    public List<String> getValues() {
        return values;
    }

    /** The answer, {@code image.NAME=value} each: build arguments are no secrets. */
    @DataBoundSetter
    public void setValues(List<String> values) {
        this.values = values == null ? null : List.copyOf(values);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Writes a small note on the controller: synchronous, off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient BerthBuildArgsStep step;

        Execution(BerthBuildArgsStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            refuseAnotherOwnersProject(getContext().get(Run.class), step.project);
            BuildArgNotes notes = BerthStates.get().buildArgNotes(step.project);
            List<MissingBuildArg> missing = missing(step.parameters);
            TaskListener listener = getContext().get(TaskListener.class);
            Map<String, Object> result = new LinkedHashMap<>();
            if (step.values == null) {
                if (Boolean.TRUE.equals(step.waiting)) {
                    notes.waitFor(step.environment, missing);
                    listener.getLogger().println("berth: the build of environment " + step.environment + " needs build"
                            + " arguments the deploy file does not give: " + String.join(", ", step.parameters)
                            + "; asking for them (they are remembered for the environment's later builds)");
                } else {
                    notes.stopWaiting(step.environment);
                }
                result.put("environment", List.of());
                return result;
            }
            Map<String, String> answer = new LinkedHashMap<>();
            for (String value : step.values) {
                int eq = value.indexOf('=');
                if (eq > 0) {
                    answer.put(value.substring(0, eq), value.substring(eq + 1));
                }
            }
            BuildArgValues all;
            try {
                all = notes.give(step.environment, missing, answer);
            } catch (IllegalArgumentException e) {
                notes.stopWaiting(step.environment);
                throw new AbortException("berth: " + e.getMessage());
            }
            // Names only: the values stay out of the log.
            listener.getLogger().println("berth: build arguments " + String.join(", ", step.parameters)
                    + " given for environment " + step.environment);
            result.put("environment", BuildArgNotes.environment(all));
            return result;
        }

        /**
         * Only the builds that deploy a project note its build arguments (the values go into its images): a branch job
         * of its Berth folder (claiming the project as a deploy does, {@link BerthStates#claim}), or, for a project no
         * folder deploys, any job.
         */
        private static void refuseAnotherOwnersProject(Run<?, ?> build, String project)
                throws IOException {
            if (build.getParent().getParent() instanceof WorkflowMultiBranchProject) {
                BerthStates.get().claim(project, build);
                return;
            }
            Optional<String> owner = BerthStates.get().folderOf(project);
            if (owner.isPresent()) {
                throw new AbortException("berth: project " + project + " is deployed by the Berth folder " + owner.get()
                        + ": only its builds give its build arguments");
            }
        }

        /** {@code image.NAME} parameters as the missing arguments they ask for (where each is declared is not needed). */
        private static List<MissingBuildArg> missing(List<String> parameters) throws AbortException {
            List<MissingBuildArg> out = new ArrayList<>();
            for (String parameter : parameters) {
                int dot = parameter.indexOf('.');
                if (dot <= 0 || dot == parameter.length() - 1) {
                    throw new AbortException("berthBuildArgs: '" + parameter + "' is no image.NAME parameter");
                }
                out.add(new MissingBuildArg(parameter.substring(0, dot), parameter.substring(dot + 1), "", 0,
                        Optional.empty()));
            }
            return out;
        }
    }

    @Extension
    @Symbol("berthBuildArgs")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "berthBuildArgs";
        }

        @Override
        public String getDisplayName() {
            return "Ask for and remember the build arguments an environment's first build lacks";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(Run.class, TaskListener.class);
        }
    }
}
