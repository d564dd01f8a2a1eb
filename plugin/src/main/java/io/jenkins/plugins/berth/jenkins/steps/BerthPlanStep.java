package io.jenkins.plugins.berth.jenkins.steps;

import hudson.Extension;
import io.jenkins.plugins.berth.model.DeployFileLocation;
import io.jenkins.plugins.berth.teardown.KeptFiles;
import hudson.FilePath;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.plan.PlanJson;
import io.jenkins.plugins.berth.plan.Planner;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code berthPlan(branch: env.BRANCH_NAME)}: reads the deploy file from the workspace, validates it
 * (with the files it names) and returns the plan as plain maps and lists. A file with problems fails
 * the step with every {@code FILE:LINE:COLUMN} message, except build arguments that nothing gives a value for:
 * those are listed ({@code missingBuildArgs}: parameter, image, name, declaredAt, description) for the
 * {@code berth} variable to ask for, and the values given ({@code BERTH_BUILD_ARGS}, or what earlier builds of
 * the environment were asked for) come back as {@code buildArgs}, the environment entry the runner reads.
 * The validated file is written into the workspace as the walk's plan ({@link WorkspacePlan}); the plan returned
 * names it ({@code planFile}) and its digest ({@code planDigest}), which the {@code berth} variable gives every
 * step of the walk.
 */
public final class BerthPlanStep extends Step {

    private final String branch;
    private String file;
    private String commit;

    @DataBoundConstructor
    public BerthPlanStep(String branch) {
        this.branch = branch;
    }

    public String getBranch() {
        return branch;
    }

    public String getFile() {
        return file;
    }

    /** The deploy file in the workspace; default: berth.yml or .berth.yml at its root. */
    @DataBoundSetter
    public void setFile(String file) {
        this.file = file == null || file.isBlank() ? null : file;
    }

    public String getCommit() {
        return commit;
    }

    @DataBoundSetter
    public void setCommit(String commit) {
        this.commit = commit == null || commit.isBlank() ? null : commit;
    }

    @Override
    public StepExecution start(StepContext context) throws Exception {
        return new Execution(this, context);
    }

    /** Quick and in memory once the file is read: synchronous, off the CPS thread. */
    static final class Execution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
        private static final long serialVersionUID = 1L;

        private final transient BerthPlanStep step;

        Execution(BerthPlanStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        protected Map<String, Object> run() throws Exception {
            FilePath workspace = getContext().get(FilePath.class);
            Run<?, ?> build = getContext().get(Run.class);
            io.jenkins.plugins.berth.model.BuildArgValues fromEnvironment =
                    WorkspaceDeployFile.given(getContext().get(hudson.EnvVars.class));
            WorkspaceDeployFile deployFile = WorkspaceDeployFile.read(workspace, step.file, build, fromEnvironment, true);
            Planner.Request request = new Planner.Request(step.branch, Optional.ofNullable(step.commit),
                    deployFile.defaultProject());
            io.jenkins.plugins.berth.plan.Plan planned = Planner.plan(deployFile.file(), request);
            // What earlier builds of this environment were asked for fills what the file leaves out.
            io.jenkins.plugins.berth.model.BuildArgValues given = fromEnvironment;
            if (!deployFile.missingBuildArgs().isEmpty()) {
                given = io.jenkins.plugins.berth.jenkins.hosting.BerthStates.get().buildArgNotes(planned.project())
                        .remembered(planned.environment().name()).plus(fromEnvironment);
                deployFile = WorkspaceDeployFile.read(workspace, step.file, build, given, true);
                planned = Planner.plan(deployFile.file(), request);
            }
            Map<String, Object> plan = PlanJson.toPlainData(planned);
            plan.put("missingBuildArgs", io.jenkins.plugins.berth.pipeline.BuildArgNotes.forPlan(
                    deployFile.missingBuildArgs()));
            plan.put("buildArgs", io.jenkins.plugins.berth.pipeline.BuildArgNotes.environment(given));
            // Decided here, on the controller, from the branch source and the folder: never bound for an
            // untrusted change that no one with Berth/Approve approved.
            io.jenkins.plugins.berth.pipeline.ChangeAccess access = io.jenkins.plugins.berth.jenkins.trust.BuildAccess
                    .of(build, getContext().get(TaskListener.class));
            plan.put("credentials", access.credentials() ? CredentialBinding.forDeployFile(deployFile.file())
                    : java.util.List.of());
            plan.put("kept", keptFiles(deployFile, workspace));
            // The id of this deploy's walk: its steps tell the runner, which skips them once one failed.
            plan.put("walk", java.util.UUID.randomUUID().toString());
            // The validated file for the walk's steps, in the workspace; its digest stays here, in the build's program,
            // and each step is given it, so a file a stage rewrites is refused rather than run.
            // Its default project is the plan's project, which the steps are given as theirs (--default-project).
            io.jenkins.plugins.berth.plan.PlanFile walkPlan = new io.jenkins.plugins.berth.plan.PlanFile(
                    deployFile.name(), step.branch, Optional.ofNullable(step.commit), planned.project(),
                    deployFile.content());
            WorkspacePlan.write(workspace, walkPlan);
            plan.put("planFile", walkPlan.path());
            plan.put("planDigest", walkPlan.digest());
            // A redeploy the folder's changed settings asked for: the branch job runs berth redeploy, not a deploy.
            plan.put("settingsRedeploy", build.getCause(
                    io.jenkins.plugins.berth.jenkins.jobs.SettingsRedeployCause.class) != null);
            return plan;
        }
    }

    /**
     * The files a teardown needs, each as its path in the kept folder ({@code path}, relative to the deploy
     * file's folder) and in the repository ({@code repositoryPath}, which {@code readTrusted} reads).
     */
    static java.util.List<Map<String, String>> keptFiles(WorkspaceDeployFile deployFile, FilePath workspace) {
        DeployFileLocation location = new DeployFileLocation(deployFile.name());
        String folder = location.folder();
        return KeptFiles.present(deployFile.file(), location.fileName(), location.filesOf(WorkspaceFiles.of(workspace)))
                .stream().map(path -> Map.of("path", path, "repositoryPath", folder.isEmpty() ? path : folder + "/" + path))
                .toList();
    }

    @Extension
    @org.jenkinsci.Symbol("berthPlan")
    public static final class DescriptorImpl extends StepDescriptor {
        @Override
        public String getFunctionName() {
            return "berthPlan";
        }

        @Override
        public String getDisplayName() {
            return "Plan a Berth deploy";
        }

        @Override
        public Set<? extends Class<?>> getRequiredContext() {
            return Set.of(FilePath.class, TaskListener.class, Run.class);
        }
    }
}
