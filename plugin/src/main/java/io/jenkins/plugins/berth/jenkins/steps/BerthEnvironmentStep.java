package io.jenkins.plugins.berth.jenkins.steps;

import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import hudson.AbortException;
import hudson.Extension;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.pipeline.DeployQueue;
import io.jenkins.plugins.berth.terraform.HttpStates;
import java.io.IOException;
import java.net.URL;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code berthEnvironment(environment: 'shop-main') { ... }}: the block a deploy of one environment runs
 * in. Deploys of the same environment take turns (a second build waits, and says so). Inside, the
 * Berth runner is in the workspace ({@code BERTH_RUNNER}) and the state folder is {@code BERTH_STATE};
 * the body's commands run as ordinary durable steps. Credentials are bound around the body by
 * {@code withCredentials} (the {@code berth} variable does it with the list {@code berthPlan} returns),
 * so Jenkins masks them as it masks every bound credential.
 */
public final class BerthEnvironmentStep extends Step {

    /** Where the plugin carries the runner (the berth command line, one jar). */
    static final String RUNNER_RESOURCE = "/io/jenkins/plugins/berth/runner/berth-runner.jar";
    static final String DEFAULT_STATE = StateLayout.DEFAULT_FOLDER;

    private final String environment;
    private String state = DEFAULT_STATE;
    private String project;

    @DataBoundConstructor
    public BerthEnvironmentStep(String environment) {
        this.environment = environment;
    }

    public String getEnvironment() {
        return environment;
    }

    public String getState() {
        return state;
    }

    /** The state folder, relative to the workspace; default {@code .berth/state}. */
    @DataBoundSetter
    public void setState(String state) {
        this.state = stateFolder(state);
    }

    /** A step's {@code state} argument: the folder given, or {@value #DEFAULT_STATE} when blank. */
    static String stateFolder(String state) {
        return state == null || state.isBlank() ? DEFAULT_STATE : state;
    }

    public String getProject() {
        return project;
    }

    /**
     * The environment's project. With it, and Jenkins hosting states (the default), the body's Terraform
     * states live in Jenkins and the environment's record is kept on the controller.
     */
    @DataBoundSetter
    public void setProject(String project) {
        this.project = project == null || project.isBlank() ? null : project;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Waits for its turn, then runs the body; hands the environment on when the body ends. */
    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;

        /** A context object the descriptor requires, which Pipeline therefore always has. */
        private <T> T required(Class<T> type) throws IOException, InterruptedException {
            T value = getContext().get(type);
            if (value == null) {
                throw new AbortException("berthEnvironment: no " + type.getSimpleName() + " here; run it inside node");
            }
            return value;
        }

        /** The deploys of each environment in this controller, holder first. */
        static final DeployQueue<String> QUEUE = new DeployQueue<>();
        private static final Map<String, Execution> WAITING = new ConcurrentHashMap<>();

        private final String id = UUID.randomUUID().toString();
        private final String environment;
        private final String state;
        private final String project;
        /** Set while the body runs with Jenkins-hosted states. */
        private HostedState hosted;

        Execution(BerthEnvironmentStep step, StepContext context) {
            super(context);
            this.environment = step.environment;
            this.state = step.state;
            this.project = step.project;
        }

        @Override
        public boolean start() throws Exception {
            if (QUEUE.enter(environment, id)) {
                begin();
            } else {
                WAITING.put(id, this);
                required(TaskListener.class).getLogger().println("berth: waiting for the deploy that holds "
                        + environment + " to finish");
            }
            return false;
        }

        /** After a controller restart the queue is empty: this deploy takes its place again. */
        @Override
        public void onResume() {
            if (!QUEUE.enter(environment, id)) {
                WAITING.put(id, this);
            }
        }

        @Override
        public void stop(Throwable cause) throws Exception {
            WAITING.remove(id);
            handOn();
            getContext().onFailure(cause);
        }

        private void begin() throws IOException, InterruptedException {
            FilePath workspace = required(FilePath.class);
            URL jar = BerthEnvironmentStep.class.getResource(RUNNER_RESOURCE);
            if (jar == null) {
                handOn();
                throw new AbortException("berth: this build of the plugin carries no runner (" + RUNNER_RESOURCE + ")");
            }
            FilePath runner = workspace.child(".berth/runner/berth-runner.jar");
            runner.getParent().mkdirs();
            runner.copyFrom(jar);
            Map<String, String> variables = new java.util.HashMap<>(Map.of("BERTH_RUNNER", runner.getRemote(),
                    "BERTH_STATE", workspace.child(state).getRemote()));
            Set<String> sensitive = Set.of();
            hudson.model.Run<?, ?> build = required(hudson.model.Run.class);
            if (project != null && BerthDefaults.forBuild(build, Optional.of(project)).hostStates()) {
                try {
                    BerthStates.get().claim(project, build);
                } catch (AbortException e) {
                    handOn();
                    throw e;
                }
                Optional<HostedState.Begun> begun = HostedState.begin(project, environment, id, workspace.child(state),
                        required(TaskListener.class).getLogger());
                if (begun.isPresent()) {
                    hosted = begun.get().state();
                    variables.putAll(begun.get().variables());
                    sensitive = Set.of(HttpStates.PASSWORD_VARIABLE);
                }
            }
            getContext().newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                            new Variables(variables, sensitive)))
                    .withCallback(new HandOn(this))
                    .start();
        }

        /** Hands hosted state back to the controller, then the environment to the next deploy. */
        void finish(StepContext context) throws IOException, InterruptedException {
            try {
                if (hosted != null) {
                    hosted.end(context.get(FilePath.class).child(state));
                }
            } finally {
                handOn();
            }
        }

        /** Leaves the queue; the next deploy of the environment, if one waits, begins. */
        void handOn() {
            QUEUE.leave(environment, id).map(WAITING::remove).ifPresent(next -> {
                try {
                    next.begin();
                } catch (IOException | InterruptedException | RuntimeException e) {
                    next.getContext().onFailure(e);
                }
            });
        }
    }

    /** Runs when the body ends, however it ends. */
    private static final class HandOn extends BodyExecutionCallback.TailCall {
        private static final long serialVersionUID = 1L;

        private final Execution execution;

        HandOn(Execution execution) {
            this.execution = execution;
        }

        @Override
        protected void finished(StepContext context) throws Exception {
            execution.finish(context);
        }
    }

    /**
     * The body's variables. The hosted state password is marked sensitive, so Jenkins warns when a script
     * interpolates it, and is kept as a {@link hudson.util.Secret}, so the build's saved program (which holds
     * this object while the body runs) has it only encrypted, as credentials-binding keeps bound values.
     */
    private static final class Variables extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;

        private final Map<String, String> values;
        private final Map<String, hudson.util.Secret> secrets;

        Variables(Map<String, String> values, Set<String> sensitive) {
            Map<String, String> plain = new java.util.HashMap<>();
            Map<String, hudson.util.Secret> hidden = new java.util.HashMap<>();
            values.forEach((name, value) -> {
                if (sensitive.contains(name)) {
                    hidden.put(name, hudson.util.Secret.fromString(value));
                } else {
                    plain.put(name, value);
                }
            });
            this.values = Map.copyOf(plain);
            this.secrets = Map.copyOf(hidden);
        }

        @Override
        public void expand(EnvVars env) {
            values.forEach(env::override);
            secrets.forEach((name, secret) -> env.override(name, secret.getPlainText()));
        }

        @Override
        public Set<String> getSensitiveVariables() {
            return secrets.keySet();
        }
    }

    @Extension
    @Symbol("berthEnvironment")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "berthEnvironment";
        }

        @Override
        public String getDisplayName() {
            return "Deploy to a Berth environment";
        }

        @Override
        public boolean takesImplicitBlockArgument() {
            return true;
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class);
        }
    }
}
