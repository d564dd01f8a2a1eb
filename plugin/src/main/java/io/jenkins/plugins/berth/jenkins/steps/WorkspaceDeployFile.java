package io.jenkins.plugins.berth.jenkins.steps;

import hudson.AbortException;
import hudson.FilePath;
import hudson.model.Job;
import hudson.model.Run;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import io.jenkins.plugins.berth.model.BuildArgValues;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.DeployFileLocation;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.model.LinkOutsideRepositoryException;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.RepositoryPaths;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The deploy file of a workspace, validated with the files it names (relative to the file's folder,
 * {@link DeployFileLocation}); problems fail the step, all of them. {@code content}: its text, as validated;
 * {@code missingBuildArgs}: the build arguments nothing gives a value for, when the caller allows them.
 */
record WorkspaceDeployFile(String name, DeployFile file, String defaultProject, String content,
        java.util.List<io.jenkins.plugins.berth.model.MissingBuildArg> missingBuildArgs) {

    /**
     * The build argument values this step's environment carries ({@code BERTH_BUILD_ARGS}: what the build was
     * asked for, or remembered for its environment), none outside a deploy.
     */
    static BuildArgValues given(hudson.EnvVars environment) throws AbortException {
        String json = environment == null ? null : environment.get(BuildArgValues.ENVIRONMENT_VARIABLE);
        try {
            return json == null || json.isBlank() ? BuildArgValues.none() : BuildArgValues.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /** {@link #read(FilePath, String, Run, BuildArgValues, boolean)} of a file that must be complete. */
    static WorkspaceDeployFile read(FilePath workspace, String name, Run<?, ?> build, BuildArgValues given)
            throws IOException, InterruptedException {
        return read(workspace, name, build, given, false);
    }

    /**
     * {@code name} in the workspace, or berth.yml / .berth.yml at its root when null; {@code build} names the
     * project when the file has none ({@link #defaultProject(Run)}).
     */
    static WorkspaceDeployFile read(FilePath workspace, String name, Run<?, ?> build, BuildArgValues given,
            boolean allowMissingBuildArgs) throws IOException, InterruptedException {
        RepositoryFiles files = WorkspaceFiles.of(workspace);
        String path = name != null ? name : DeployFiles.NAMES.stream().filter(files::isFile).findFirst()
                .orElseThrow(() -> new AbortException("no deploy file in the workspace: expected "
                        + String.join(" or ", DeployFiles.NAMES)));
        DeployFileLocation location;
        try {
            location = new DeployFileLocation(path);
        } catch (IllegalArgumentException e) {
            throw new AbortException(e.getMessage());
        }
        // Read through the view that follows links only inside the workspace: a deploy file linked to a file of
        // the controller is refused, not parsed (its errors would quote it).
        if (!files.isFile(location.path())) {
            try {
                RepositoryPaths.real(files, location.path());
            } catch (LinkOutsideRepositoryException e) {
                throw new AbortException("deploy file " + e.getMessage());
            }
            throw new AbortException("no deploy file " + path + " in the workspace");
        }
        String text = files.read(location.path());
        try {
            DeployFile parsed = DeployFiles.parse(location, text.getBytes(StandardCharsets.UTF_8), files, given);
            return new WorkspaceDeployFile(location.path(), parsed, defaultProject(build), text, java.util.List.of());
        } catch (io.jenkins.plugins.berth.model.MissingBuildArgsException e) {
            // Only build arguments are missing: the berth variable asks for them (input) where it may.
            if (!allowMissingBuildArgs) {
                throw new AbortException(e.getMessage());
            }
            return new WorkspaceDeployFile(location.path(), e.file(), defaultProject(build), text, e.missing());
        } catch (DeployFileException e) {
            throw new AbortException(e.getMessage());
        }
    }

    /**
     * The project of a deploy file that names none: its multibranch project's name for a branch or pull
     * request job (the same on every branch, where each branch's workspace folder has its own name), else
     * the job's name; a DNS label either way.
     */
    static String defaultProject(Run<?, ?> build) {
        Job<?, ?> job = build.getParent();
        String name = job.getParent() instanceof WorkflowMultiBranchProject folder ? folder.getName() : job.getName();
        return EnvironmentNames.projectName(name);
    }
}
