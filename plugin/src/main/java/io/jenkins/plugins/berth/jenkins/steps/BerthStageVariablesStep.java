package io.jenkins.plugins.berth.jenkins.steps;

import hudson.AbortException;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.model.Secret;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import io.jenkins.plugins.berth.pipeline.StageVariables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * {@code berthStageVariables(stage: 'smoke', phase: 'stages', branch: ...)}: what a stage that runs in
 * its own image sees, for {@code withEnv} and {@code withCredentials}: {@code environment} as
 * {@code NAME=value} strings (no secret among them) and {@code secrets} as variable and credentials id.
 * Values come from the deploy file (the walk's plan, with {@code plan:} and {@code planDigest:}) and the
 * environment's record in the state folder.
 */
public final class BerthStageVariablesStep extends Step {

    private final String stage;
    private String phase = "stages";
    private String branch;
    private String commit;
    private String file;
    private String state = BerthEnvironmentStep.DEFAULT_STATE;
    private String walk;
    private String plan;
    private String planDigest;

    @DataBoundConstructor
    public BerthStageVariablesStep(String stage) {
        this.stage = stage;
    }

    public String getStage() {
        return stage;
    }

    public String getPhase() {
        return phase;
    }

    /** {@code init_stages} or {@code stages} (the default). */
    @DataBoundSetter
    public void setPhase(String phase) {
        this.phase = phase;
    }

    public String getBranch() {
        return branch;
    }

    @DataBoundSetter
    public void setBranch(String branch) {
        this.branch = branch;
    }

    public String getCommit() {
        return commit;
    }

    @DataBoundSetter
    public void setCommit(String commit) {
        this.commit = commit == null || commit.isBlank() ? null : commit;
    }

    public String getFile() {
        return file;
    }

    @DataBoundSetter
    public void setFile(String file) {
        this.file = file == null || file.isBlank() ? null : file;
    }

    public String getState() {
        return state;
    }

    /** The walk of {@code berth.deploy()} (the plan's {@code walk}): the stage is skipped once it stopped. */
    @DataBoundSetter
    public void setWalk(String walk) {
        this.walk = walk == null || walk.isBlank() ? null : walk;
    }

    public String getWalk() {
        return walk;
    }

    public String getPlan() {
        return plan;
    }

    /** The walk's plan in the workspace ({@code plan.planFile}); read only with {@link #setPlanDigest its digest}. */
    @DataBoundSetter
    public void setPlan(String plan) {
        this.plan = plan == null || plan.isBlank() ? null : plan;
    }

    public String getPlanDigest() {
        return planDigest;
    }

    /** The plan's digest as {@code berthPlan} returned it ({@code plan.planDigest}). */
    @DataBoundSetter
    public void setPlanDigest(String planDigest) {
        this.planDigest = planDigest == null || planDigest.isBlank() ? null : planDigest;
    }

    @DataBoundSetter
    public void setState(String state) {
        this.state = BerthEnvironmentStep.stateFolder(state);
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Reads two small files: synchronous, off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient BerthStageVariablesStep step;

        Execution(BerthStageVariablesStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            if (step.branch == null || step.branch.isBlank()) {
                throw new AbortException("berthStageVariables: no branch given");
            }
            FilePath workspace = getContext().get(FilePath.class);
            Run<?, ?> build = getContext().get(Run.class);
            // The walk's plan (the file as validated, read back only under the digest this build kept), else the
            // workspace's deploy file.
            io.jenkins.plugins.berth.model.BuildArgValues given =
                    WorkspaceDeployFile.given(getContext().get(hudson.EnvVars.class));
            WorkspaceDeployFile deployFile;
            if (step.plan != null || step.planDigest != null) {
                if (step.plan == null || step.planDigest == null) {
                    throw new AbortException("berthStageVariables: plan and planDigest go together");
                }
                deployFile = WorkspacePlan.deployFile(workspace, step.plan, step.planDigest, step.branch, build,
                        given);
            } else {
                deployFile = WorkspaceDeployFile.read(workspace, step.file, build, given);
            }
            io.jenkins.plugins.berth.model.DeployFile file = deployFile.file();
            String defaultProject = deployFile.defaultProject();
            String environment = BranchEnvironments.of(file, defaultProject, step.branch).environment();
            FilePath recordFile = workspace.child(step.state).child(StateLayout.recordFile(environment));
            Optional<EnvironmentRecord> record = recordFile.exists()
                    ? Optional.of(DirectoryStateStore.parse(recordFile.getRemote(),
                            recordFile.readToString().getBytes(StandardCharsets.UTF_8)))
                    : Optional.empty();
            StageVariables variables;
            try {
                variables = StageVariables.forBranch(file, record, defaultProject,
                        step.branch, Optional.ofNullable(step.commit), step.phase, step.stage,
                        Optional.ofNullable(step.walk));
            } catch (BerthException e) {
                throw new AbortException("berth: " + e.getMessage());
            }
            if (!variables.unavailable().isEmpty()) {
                getContext().get(TaskListener.class).getLogger().println("berth: stage " + step.stage
                        + " runs without " + String.join(", ", variables.unavailable())
                        + "; a stage without an image gets sensitive outputs from the Berth runner");
            }
            List<String> environmentList = new ArrayList<>();
            variables.environment().forEach((name, value) -> environmentList.add(name + "=" + value));
            List<Map<String, String>> secrets = new ArrayList<>();
            boolean credentials = io.jenkins.plugins.berth.jenkins.trust.BuildAccess.of(build,
                    getContext().get(TaskListener.class)).credentials();
            for (Secret secret : credentials ? variables.secrets() : List.<Secret>of()) {
                secrets.add(CredentialBinding.of(secret.credentialId(), secret.name()));
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("environment", environmentList);
            result.put("secrets", secrets);
            result.put("skip", variables.skipped());
            return result;
        }
    }

    @Extension
    @Symbol("berthStageVariables")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "berthStageVariables";
        }

        @Override
        public String getDisplayName() {
            return "Variables of a Berth stage";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class, Run.class);
        }
    }
}
