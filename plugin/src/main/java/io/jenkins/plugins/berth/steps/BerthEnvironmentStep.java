package io.jenkins.plugins.berth.steps;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.Secret;
import io.jenkins.plugins.berth.environments.DeployQueue;
import io.jenkins.plugins.berth.run.SecretSource;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.jenkinsci.plugins.workflow.steps.BodyExecutionCallback;
import org.jenkinsci.plugins.workflow.steps.BodyInvoker;
import org.jenkinsci.plugins.workflow.steps.EnvironmentExpander;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code berthEnvironment(environment: 'shop-main', credentialsIds: [...]) { ... }}: the block a deploy
 * of one environment runs in. Deploys of the same environment take turns (a second build waits, and
 * says for whom). Inside, the Berth runner is in the workspace ({@code BERTH_RUNNER}), the state folder
 * is {@code BERTH_STATE}, and each credential is bound as {@code BERTH_SECRET_<ID>} and masked in the
 * console. The body's commands run as ordinary durable steps.
 */
public final class BerthEnvironmentStep extends Step {

    /** Where the plugin carries the runner (the berth command line, one jar). */
    static final String RUNNER_RESOURCE = "/io/jenkins/plugins/berth/runner/berth-runner.jar";

    private final String environment;
    private List<String> credentialsIds = List.of();
    private String state = ".berth/state";
    private String file;

    @DataBoundConstructor
    public BerthEnvironmentStep(String environment) {
        this.environment = environment;
    }

    public String getEnvironment() {
        return environment;
    }

    public List<String> getCredentialsIds() {
        return credentialsIds;
    }

    public String getFile() {
        return file;
    }

    /** The deploy file, whose {@code secrets} name the credentials to bind; default berth.yml or .berth.yml. */
    @DataBoundSetter
    public void setFile(String file) {
        this.file = file == null || file.isBlank() ? null : file;
    }

    /** More Secret text credentials to bind, beyond those the deploy file's {@code secrets} name. */
    @DataBoundSetter
    public void setCredentialsIds(List<String> credentialsIds) {
        this.credentialsIds = credentialsIds == null ? List.of() : List.copyOf(credentialsIds);
    }

    public String getState() {
        return state;
    }

    /** The state folder, relative to the workspace; default {@code .berth/state}. */
    @DataBoundSetter
    public void setState(String state) {
        this.state = state == null || state.isBlank() ? ".berth/state" : state;
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
        private final List<String> credentialsIds;
        private final String state;
        private final String file;

        Execution(BerthEnvironmentStep step, StepContext context) {
            super(context);
            this.environment = step.environment;
            this.credentialsIds = step.credentialsIds;
            this.state = step.state;
            this.file = step.file;
        }

        @Override
        public boolean start() throws Exception {
            if (QUEUE.enter(environment, id)) {
                begin();
            } else {
                WAITING.put(id, this);
                getContext().get(TaskListener.class).getLogger().println("berth: waiting for the deploy that holds "
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
            Run<?, ?> run = getContext().get(Run.class);
            FilePath workspace = getContext().get(FilePath.class);
            Map<String, Secret> secrets = new LinkedHashMap<>();
            java.util.Set<String> ids = new java.util.LinkedHashSet<>();
            try {
                WorkspaceDeployFile.read(workspace, file).file().secrets().values()
                        .forEach(secret -> ids.add(secret.credentialId()));
            } catch (IOException | InterruptedException | RuntimeException e) {
                handOn();
                throw e;
            }
            ids.addAll(credentialsIds);
            for (String credentialsId : ids) {
                StringCredentials credentials = CredentialsProvider.findCredentialById(credentialsId,
                        StringCredentials.class, run);
                if (credentials == null) {
                    handOn();
                    throw new AbortException("berth: no Secret text credential '" + credentialsId + "' visible to this"
                            + " build; add it in Manage Jenkins > Credentials or in the folder, or fix the deploy"
                            + " file's secrets");
                }
                secrets.put(SecretSource.environmentName(credentialsId), credentials.getSecret());
            }
            FilePath runner = workspace.child(".berth/runner/berth-runner.jar");
            runner.getParent().mkdirs();
            URL jar = BerthEnvironmentStep.class.getResource(RUNNER_RESOURCE);
            if (jar == null) {
                handOn();
                throw new AbortException("berth: this build of the plugin carries no runner (" + RUNNER_RESOURCE + ")");
            }
            runner.copyFrom(jar);
            Map<String, String> plain = Map.of("BERTH_RUNNER", runner.getRemote(), "BERTH_STATE",
                    workspace.child(state).getRemote());
            getContext().newBodyInvoker()
                    .withContext(EnvironmentExpander.merge(getContext().get(EnvironmentExpander.class),
                            new Expander(plain, secrets)))
                    .withContext(BodyInvoker.mergeConsoleLogFilters(
                            getContext().get(hudson.console.ConsoleLogFilter.class),
                            new MaskingFilter(new ArrayList<>(secrets.values()))))
                    .withCallback(new HandOn(this))
                    .start();
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
        protected void finished(StepContext context) {
            execution.handOn();
        }
    }

    /** The runner's place and the bound credentials; the credentials count as sensitive variables. */
    private static final class Expander extends EnvironmentExpander {
        private static final long serialVersionUID = 1L;

        private final Map<String, String> plain;
        private final Map<String, Secret> secrets;

        Expander(Map<String, String> plain, Map<String, Secret> secrets) {
            this.plain = Map.copyOf(plain);
            this.secrets = new LinkedHashMap<>(secrets);
        }

        @Override
        public void expand(EnvVars env) {
            plain.forEach(env::override);
            secrets.forEach((name, secret) -> env.override(name, secret.getPlainText()));
        }

        @Override
        public Set<String> getSensitiveVariables() {
            return Set.copyOf(secrets.keySet());
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
            return Set.of(Run.class, FilePath.class, TaskListener.class);
        }
    }
}
