package io.jenkins.plugins.berth.jenkins.steps;

import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import hudson.AbortException;
import hudson.Extension;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.jenkins.checks.DeployChecks;
import io.jenkins.plugins.berth.jenkins.jobs.SettingsRedeploys;
import io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs;
import io.jenkins.plugins.berth.jenkins.links.EnvironmentLinks;
import io.jenkins.plugins.berth.pipeline.DeployReport;
import io.jenkins.plugins.berth.jenkins.trust.BuildAccess;
import io.jenkins.plugins.berth.pipeline.ChangeAccess;
import io.jenkins.plugins.berth.pipeline.DeployQueue;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import io.jenkins.plugins.berth.terraform.HttpStates;
import java.io.IOException;
import jenkins.util.Timer;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.BodyExecution;
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
    /**
     * The workspace's state folder. Every runner command line passes it as {@code --state}: the runner never uses
     * its own default (the agent user's state home), so records stay with the workspace the plugin copies them to.
     */
    static final String DEFAULT_STATE = StateLayout.WORKSPACE_FOLDER;
    /** Set to {@code read} for a deploy whose token only reads shared stacks: the runner reads their outputs. */
    public static final String SHARED_STACKS_VARIABLE = "BERTH_SHARED_STACKS";

    private final String environment;
    private String state = DEFAULT_STATE;
    private String project;
    private Map<String, String> kept = Map.of();

    @DataBoundConstructor
    public BerthEnvironmentStep(String environment) {
        this.environment = EnvironmentNames.requireLabel("berthEnvironment: environment", environment);
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
        this.project = project == null || project.isBlank() ? null
                : EnvironmentNames.requireLabel("berthEnvironment: project", project);
    }

    public Map<String, String> getKept() {
        return kept;
    }

    /**
     * The files a teardown of the environment needs, by path in the kept folder, with their content from the
     * trusted revision (the {@code berth} variable reads them with {@code readTrusted}): the controller keeps
     * these, never the workspace's. None given: the controller keeps the files of the last deploy.
     */
    @DataBoundSetter
    public void setKept(Map<String, String> kept) {
        this.kept = kept == null ? Map.of() : Map.copyOf(kept);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Waits for its turn, then runs the body; hands the environment on when the body ends. */
    static final class Execution extends StepExecution {
        private static final long serialVersionUID = 1L;

        /** The deploys of each environment in this controller, holder first. */
        static final DeployQueue<String> QUEUE = new DeployQueue<>();
        private static final Map<String, Execution> WAITING = new ConcurrentHashMap<>();

        private final String id = UUID.randomUUID().toString();
        private final String environment;
        private final String state;
        private final String project;
        private final java.util.HashMap<String, String> kept;
        /** Set while the body runs with Jenkins-hosted states. */
        private HostedState hosted;
        /** Which of a Berth folder's builds this is, when it uses the states Jenkins hosts; null otherwise. */
        private Role role;
        /** The running body, once this deploy has its turn (saved with the program, so known after a restart). */
        private volatile BodyExecution body;

        Execution(BerthEnvironmentStep step, StepContext context) {
            super(context);
            this.environment = step.environment;
            this.state = step.state;
            this.project = step.project;
            this.kept = new java.util.HashMap<>(step.kept);
        }

        @Override
        public boolean start() throws Exception {
            if (QUEUE.enter(environment, id)) {
                beginOrHandOn();
            } else {
                WAITING.put(id, this);
                required(TaskListener.class).getLogger().println("berth: waiting for the deploy that holds "
                        + environment + " to finish");
            }
            return false;
        }

        /**
         * After a controller restart the queue is empty. A deploy whose body ran holds the environment again
         * (its body resumes with the program); one that waited queues again behind it and begins when its turn
         * comes, or now when no deploy of the environment holds it.
         */
        @Override
        public void onResume() {
            if (body != null) {
                QUEUE.enterFirst(environment, id);
            } else if (QUEUE.enter(environment, id) && !heldByAnother()) {
                beginOrHandOn();
            } else {
                WAITING.put(id, this);
            }
        }

        /** True when the controller noted another deploy as holding the environment (one still resuming). */
        private boolean heldByAnother() {
            try {
                return BerthStates.get().holder(environment).filter(holder -> !holder.equals(id)).isPresent();
            } catch (IOException e) {
                return false;
            }
        }

        /** A running body is cancelled (its end hands the environment on); a waiting deploy just leaves. */
        @Override
        public void stop(Throwable cause) throws Exception {
            if (body != null) {
                body.cancel(cause);
                return;
            }
            WAITING.remove(id);
            handOn();
            getContext().onFailure(cause);
        }

        @Override
        public String getStatus() {
            return body != null ? "deploying " + environment
                    : "waiting for the deploy that holds " + environment + " (" + QUEUE.line(environment).size()
                    + " in line)";
        }

        /**
         * Begins in the background (copying the runner jar and the records to the agent blocks, which the CPS
         * VM thread that calls start, onResume and stop must never do), or when beginning fails, hands the
         * environment on and fails this step: never left held.
         */
        private void beginOrHandOn() {
            Timer.get().submit(() -> {
                try {
                    begin();
                } catch (IOException | InterruptedException | RuntimeException e) {
                    handOn();
                    getContext().onFailure(e);
                }
            });
        }

        private void begin() throws IOException, InterruptedException {
            FilePath workspace = required(FilePath.class);
            RunnerFiles.Installed runner = RunnerFiles.install(workspace.child(".berth/runner"));
            Map<String, String> variables = new java.util.HashMap<>(Map.of("BERTH_RUNNER", runner.jar().getRemote(),
                    "BERTH_RUNNER_SH", runner.launcher().getRemote(), "BERTH_STATE", workspace.child(state).getRemote()));
            Set<String> sensitive = Set.of();
            hudson.model.Run<?, ?> build = required(hudson.model.Run.class);
            TaskListener listener = required(TaskListener.class);
            Optional<Role> role = project != null && BerthDefaults.forBuild(build, Optional.of(project)).hostStates()
                    ? role(build, listener) : Optional.empty();
            this.role = role.orElse(null);
            if (this.role != Role.TEARDOWN_JOB) {
                DeployChecks.forRun(build, listener, DeployReport.started(environment));
            }
            if (role.isPresent()) {
                ChangeAccess access = BuildAccess.of(build, listener);
                Optional<HostedState.Begun> begun = HostedState.begin(project, environment, id,
                        BuildAccess.branch(build), kept, role.get() == Role.BRANCH_JOB && access.writesSharedStacks(),
                        workspace.child(state),
                        listener.getLogger());
                if (begun.isPresent()) {
                    hosted = begun.get().state();
                    variables.putAll(begun.get().variables());
                    sensitive = Set.of(HttpStates.PASSWORD_VARIABLE);
                    if (!(role.get() == Role.BRANCH_JOB && access.writesSharedStacks())) {
                        variables.put(SHARED_STACKS_VARIABLE, "read");
                    }
                    if (role.get() == Role.BRANCH_JOB) {
                        BerthStates.get().noteAccess(project, environment, access);
                    }
                }
            }
            BerthStates.get().noteHolder(environment, id);
            org.jenkinsci.plugins.workflow.steps.BodyInvoker invoker = getContext().newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                            new Variables(variables, sensitive)));
            if (variables.containsKey(HttpStates.PASSWORD_VARIABLE)) {
                invoker = invoker.withContext(org.jenkinsci.plugins.workflow.steps.BodyInvoker.mergeConsoleLogFilters(
                        getContext().get(hudson.console.ConsoleLogFilter.class),
                        new StateTokenMask(variables.get(HttpStates.PASSWORD_VARIABLE), build.getCharset().name())));
            }
            body = invoker
                    .withCallback(new HandOn(this))
                    .start();
        }

        /**
         * Which of a Berth folder's builds this is, for the states Jenkins hosts: the folder's teardown job (its
         * request checked against the folder's records), or one of its branch jobs (which claims the project for
         * the folder). Any other build keeps its states in the workspace: it must not get a token or the records
         * of a project that some folder deploys.
         */
        private Optional<Role> role(hudson.model.Run<?, ?> build, TaskListener listener) throws IOException {
            Optional<WorkflowMultiBranchProject> tornDownFor = TeardownJobs.folderTornDownBy(build.getParent(), project);
            if (tornDownFor.isPresent()) {
                io.jenkins.plugins.berth.jenkins.trust.TeardownRequest.check(build, tornDownFor.get(), project, environment);
                return Optional.of(Role.TEARDOWN_JOB);
            }
            TeardownJobs.refuseOtherProjects(build.getParent(), project);
            if (build.getParent().getParent() instanceof WorkflowMultiBranchProject) {
                BerthStates.get().claim(project, build);
                return Optional.of(Role.BRANCH_JOB);
            }
            listener.getLogger().println("berth: " + build.getParent().getName() + " is not a job of a multibranch"
                    + " folder, so its Terraform states and records stay in this workspace (only a Berth folder's"
                    + " branch jobs and its teardown job keep them in Jenkins)");
            return Optional.empty();
        }

        /** A context object the descriptor requires, which Pipeline therefore always has. */
        private <T> T required(Class<T> type) throws IOException, InterruptedException {
            T value = getContext().get(type);
            if (value == null) {
                throw new AbortException("berthEnvironment: no " + type.getSimpleName() + " here; run it inside node");
            }
            return value;
        }

        /**
         * Hands hosted state back to the controller, shows where the environment stands (the build's summary,
         * its check), then hands the environment to the next deploy.
         *
         * @param failure how the body failed; empty when it succeeded
         */
        void finish(StepContext context, Optional<Throwable> failure) throws IOException, InterruptedException {
            try {
                FilePath workspace = context.get(FilePath.class);
                TaskListener listener = context.get(TaskListener.class);
                java.io.PrintStream log = listener != null ? listener.getLogger() : System.err;
                if (hosted != null && workspace != null) {
                    hosted.end(workspace.child(state), log);
                }
                hudson.model.Run<?, ?> build = context.get(hudson.model.Run.class);
                if (build != null && listener != null) {
                    try {
                        report(build, listener, workspace, failure);
                    } catch (IOException | RuntimeException e) {
                        // Showing where the environment stands must never fail the deploy itself.
                        log.println("berth: could not show where " + environment + " stands: " + e.getMessage());
                    }
                }
            } finally {
                handOn();
            }
        }

        /**
         * The environment's record as the controller keeps it (or, for a plain Pipeline job that keeps states in
         * its workspace, as the workspace wrote it), shown on the build and published as the environment's check;
         * a successful branch deploy also notes the folder settings it ran with.
         */
        private void report(hudson.model.Run<?, ?> build, TaskListener listener, FilePath workspace,
                Optional<Throwable> failure) throws IOException, InterruptedException {
            Optional<io.jenkins.plugins.berth.environments.EnvironmentRecord> record = hosted != null
                    ? HostedState.stored(project, environment)
                    : workspace == null ? Optional.empty()
                    : HostedState.written(workspace.child(state).child(StateLayout.recordFile(environment)), environment,
                            listener.getLogger());
            Optional<DeployReport> ended = DeployReport.ended(environment, record, failure.map(Throwable::getMessage));
            if (ended.isEmpty()) {
                return;
            }
            DeployReport report = ended.get();
            EnvironmentLinks.show(build, project == null ? record.map(r -> r.project()).orElse("") : project, report,
                    record.map(r -> r.status().keyword()).orElse("unknown"));
            if (role == Role.TEARDOWN_JOB) {
                Optional<WorkflowMultiBranchProject> folder = TeardownJobs.folderTornDownBy(build.getParent(), project);
                Optional<org.jenkinsci.plugins.workflow.job.WorkflowJob> branchJob = folder.flatMap(f -> record
                        .flatMap(r -> TeardownJobs.branchJob(f, r.branch())));
                branchJob.ifPresent(job -> DeployChecks.forJob(job, listener, report));
            } else {
                DeployChecks.forRun(build, listener, report);
            }
            if (role == Role.BRANCH_JOB && failure.isEmpty()
                    && build.getParent().getParent() instanceof WorkflowMultiBranchProject folder) {
                BerthStates.get().noteSettings(project, environment,
                        SettingsRedeploys.version(folder));
            }
        }

        /** Leaves the queue; the next deploy of the environment, if one waits, begins. */
        void handOn() {
            try {
                BerthStates.get().releaseHolder(environment, id);
            } catch (IOException e) {
                // The note only orders deploys after a restart; a stale one is replaced by the next begin.
            }
            QUEUE.leave(environment, id).map(WAITING::remove).ifPresent(Execution::beginOrHandOn);
        }
    }

    /** The builds that may use the states Jenkins hosts. */
    enum Role { BRANCH_JOB, TEARDOWN_JOB }

    /**
     * Runs when the body ends, however it ends: hands the records back and the environment on, in the
     * background (the copy to the controller blocks, and callbacks run on the CPS VM thread), then ends the
     * step as the body ended.
     */
    private static final class HandOn extends BodyExecutionCallback {
        private static final long serialVersionUID = 1L;

        private final Execution execution;

        HandOn(Execution execution) {
            this.execution = execution;
        }

        @Override
        public void onSuccess(StepContext context, Object result) {
            Timer.get().submit(() -> {
                try {
                    execution.finish(context, Optional.empty());
                    context.onSuccess(result);
                } catch (IOException | InterruptedException | RuntimeException e) {
                    context.onFailure(e);
                }
            });
        }

        @Override
        public void onFailure(StepContext context, Throwable t) {
            Timer.get().submit(() -> {
                try {
                    execution.finish(context, Optional.of(t));
                } catch (IOException | InterruptedException | RuntimeException e) {
                    t.addSuppressed(e);
                }
                context.onFailure(t);
            });
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
