package io.jenkins.plugins.berth.jenkins.steps;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Run;
import io.jenkins.plugins.berth.model.BuildArgValues;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import io.jenkins.plugins.berth.plan.PlanFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A deploy's plan in the workspace ({@link PlanFile}, in {@code .berth/plans}): {@code berthPlan} writes it and
 * returns its path and digest with the plan; the walk's runner steps and {@code berthStageVariables} read it back,
 * refusing it unless its digest is the one the controller kept. Stages of the build run in the same workspace, so
 * nothing here follows a link the workspace holds, and nothing read is trusted before its digest is checked.
 */
final class WorkspacePlan {

    /** What a plan may weigh: a deploy file is at most 1 MiB, escaped to ASCII at most six times that. */
    private static final long MAX_SIZE = 8L * 1024 * 1024;

    private WorkspacePlan() {}

    /**
     * Writes {@code plan} at {@link PlanFile#path()} of the workspace, after removing every plan there (and whatever a
     * checkout put in the folder: a committed link at the plan's name would have the write land wherever it points).
     */
    static void write(FilePath workspace, PlanFile plan) throws IOException, InterruptedException {
        FilePath berth = workspace.child(".berth");
        FilePath plans = workspace.child(PlanFile.FOLDER);
        refuseLink(berth);
        refuseLink(plans);
        plans.mkdirs();
        for (FilePath old : plans.list()) {
            old.delete();
        }
        workspace.child(plan.path()).write(new String(plan.bytes(), StandardCharsets.US_ASCII), "US-ASCII");
    }

    /**
     * The plan at {@code path} of the workspace, when its digest is {@code digest}; else the step fails saying so
     * (nothing of the file is used).
     */
    static PlanFile read(FilePath workspace, String path, String digest) throws IOException, InterruptedException {
        if (!path.startsWith(PlanFile.FOLDER + "/") || path.contains("..")) {
            throw new AbortException("berth: a plan lives in " + PlanFile.FOLDER + " of the workspace, not at " + path);
        }
        FilePath file = workspace.child(path);
        refuseLink(workspace.child(".berth"));
        refuseLink(workspace.child(PlanFile.FOLDER));
        refuseLink(file);
        if (!file.exists()) {
            throw new AbortException("berth: the plan " + path + " is not in the workspace any more (a stage of this"
                    + " build removed it?); run the build again");
        }
        if (file.length() > MAX_SIZE) {
            throw new AbortException("berth: " + path + " is larger than any plan; run the build again");
        }
        try {
            return PlanFile.verified(file.readToString().getBytes(StandardCharsets.ISO_8859_1), digest, path);
        } catch (PlanFile.ChangedException e) {
            throw new AbortException("berth: " + e.getMessage());
        }
    }

    /**
     * The deploy file of the plan at {@code path} (under {@code digest}), when it is a plan of {@code branch} of the
     * project {@code build}'s own default gives the file: a plan another job wrote is no plan here. {@code given}:
     * the build argument values of the step's environment, which fill what the file leaves out.
     */
    static WorkspaceDeployFile deployFile(FilePath workspace, String path, String digest, String branch, Run<?, ?> build,
            BuildArgValues given) throws IOException, InterruptedException {
        PlanFile planned = read(workspace, path, digest);
        DeployFile file;
        try {
            file = planned.deployFile().withBuildArgs(given);
        } catch (DeployFileException e) {
            throw new AbortException(e.getMessage());
        }
        String project = BranchEnvironments.of(file, WorkspaceDeployFile.defaultProject(build), branch).project();
        if (!planned.branch().equals(branch) || !project.equals(planned.defaultProject())) {
            throw new AbortException("berth: the plan " + path + " is for branch " + planned.branch() + " of project "
                    + planned.defaultProject() + ", not " + branch + " of " + project);
        }
        return new WorkspaceDeployFile(planned.file(), file, planned.defaultProject(), planned.content(), List.of());
    }

    private static void refuseLink(FilePath path) throws IOException, InterruptedException {
        Optional<String> target = Optional.ofNullable(path.readLink());
        if (target.isPresent()) {
            throw new AbortException("berth: " + path.getRemote() + " in the workspace is a symbolic link (to "
                    + target.get() + "); Berth keeps its plans there and follows no link: remove it from the repository");
        }
    }
}
