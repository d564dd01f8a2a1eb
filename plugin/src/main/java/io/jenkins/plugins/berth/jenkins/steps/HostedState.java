package io.jenkins.plugins.berth.jenkins.steps;

import hudson.FilePath;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStateAction;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.pipeline.RecordMerge;
import io.jenkins.plugins.berth.terraform.HttpStates;
import io.jenkins.plugins.berth.terraform.StateScope;
import io.jenkins.plugins.berth.terraform.StateScope.SharedAccess;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import jenkins.model.Jenkins;

/**
 * One deploy's use of the states Jenkins hosts. Before the body, the environment's record and kept files are
 * copied from the controller into the workspace's state folder and a token for the environment's Terraform
 * states (reading, or for a branch writing, the project's shared stacks') is issued. After it, however it ended, the token is revoked and the controller, trusting nothing the
 * workspace wrote, keeps: the teardown's files it was given from the trusted revision (never the workspace's
 * {@code kept/}), and the workspace's record only as {@link RecordMerge} checks it against the trusted deploy file.
 */
final class HostedState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A record larger than this is not read: no deploy writes one, so something else did. */
    static final long MAX_RECORD = 1024 * 1024;

    private final String project;
    private final String environment;
    private final String build;
    /** The build's branch; null for a teardown job (a field, so not an Optional: the program is serialized). */
    private final String branch;
    /** Repository path (relative to the deploy file's folder) to content, from the trusted revision; may be empty. */
    private final Map<String, String> kept;

    private HostedState(String project, String environment, String build, Optional<String> branch,
            Map<String, String> kept) {
        this.project = project;
        this.environment = environment;
        this.build = build;
        this.branch = branch.orElse(null);
        this.kept = new LinkedHashMap<>(kept);
    }

    /** Copies the environment in and issues the token; empty (and says why) when Jenkins' URL is unknown. */
    static Optional<Begun> begin(String project, String environment, String build, Optional<String> branch,
            Map<String, String> kept, boolean writesSharedStacks, FilePath stateFolder, PrintStream log)
            throws IOException, InterruptedException {
        String root = Jenkins.get().getRootUrl();
        if (root == null) {
            log.println("berth: Jenkins' URL is not configured (Manage Jenkins → System), so Terraform states and "
                    + "records stay in this workspace");
            return Optional.empty();
        }
        HostedState hosted = new HostedState(project, environment, build, branch, kept);
        FilePath controller = hosted.controllerFolder();
        stateFolder.mkdirs();
        if (controller.exists()) {
            controller.copyRecursiveTo(StateLayout.environmentFilesPattern(environment) + ","
                    + StateLayout.environmentStacksPattern(project, environment), stateFolder);
        }
        String token = BerthStates.get().tokens().issue(build, new StateScope(project, environment,
                writesSharedStacks ? SharedAccess.WRITE : SharedAccess.READ));
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put(HttpStates.URL_VARIABLE, root + BerthStateAction.URL_NAME + "/");
        variables.put(HttpStates.PASSWORD_VARIABLE, token);
        return Optional.of(new Begun(hosted, variables));
    }

    /** A begun deploy: what to end, and the variables its commands need (the password is sensitive). */
    record Begun(HostedState state, Map<String, String> variables) {}

    /**
     * Revokes the token, keeps the trusted teardown files, then merges the workspace's record into the
     * controller's, saying in the log what it left out.
     */
    void end(FilePath stateFolder, PrintStream log) throws IOException, InterruptedException {
        BerthStates.get().tokens().revoke(build);
        DirectoryStateStore store = store(project);
        if (!kept.isEmpty()) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            kept.forEach((path, content) -> files.put(path, content.getBytes(StandardCharsets.UTF_8)));
            store.keep(environment, files);
        }
        Optional<EnvironmentRecord> written = written(stateFolder.child(StateLayout.recordFile(environment)), log);
        if (written.isEmpty()) {
            return;
        }
        RecordMerge.Trusted trusted = new RecordMerge.Trusted(project, environment, Optional.ofNullable(branch),
                keptDeployFile(log));
        try {
            Optional<EnvironmentRecord> stored = store.read(environment);
            RecordMerge merge = RecordMerge.of(stored, written.get(), trusted);
            merge.refused().forEach(what -> log.println("berth: not kept from the workspace's record of "
                    + environment + ": " + what));
            if (merge.record().isPresent()) {
                // Merged again under the record's lock, against what is stored then (the page may pin meanwhile).
                EnvironmentRecord kept = store.update(environment,
                        now -> RecordMerge.of(now, written.get(), trusted).record().orElseThrow());
                keepStacks(stateFolder, kept);
            }
        } catch (StateException e) {
            throw new IOException("berth: could not keep the record of " + environment, e);
        }
    }

    /**
     * Keeps the work folders of the environment's own stacks (their Terraform sources, without providers or
     * plan files) so that a teardown on any agent can destroy them. The sources are the deploy's own: a
     * pull request's, for a pull request's environment, which is why its teardown gets no more credentials
     * than its deploy had ({@link BerthStates#deployedWithCredentials}). The deploy file kept beside them,
     * which says how to run Terraform, is replaced by the trusted one.
     */
    private void keepStacks(FilePath stateFolder, EnvironmentRecord kept) throws IOException, InterruptedException {
        FilePath controller = controllerFolder();
        java.util.List<io.jenkins.plugins.berth.environments.StackRecord> own =
                io.jenkins.plugins.berth.terraform.Destroyer.ownStacks(kept);
        // A stack the record no longer lists was destroyed (or never was the environment's): its folder goes.
        FilePath stacks = controller.child(StateLayout.stackWorkFolder(project));
        if (stacks.exists()) {
            for (FilePath stack : stacks.list()) {
                FilePath folder = stack.child(environment);
                String workDir = StateLayout.stackWorkFolder(project + "/" + stack.getName() + "/" + environment);
                if (folder.exists() && own.stream().noneMatch(s -> s.workDir().equals(workDir))) {
                    folder.deleteRecursive();
                }
            }
        }
        Optional<String> trusted = BerthStates.get().keptDeployFileText(project, environment);
        for (io.jenkins.plugins.berth.environments.StackRecord stack : own) {
            FilePath from = stateFolder.child(stack.workDir());
            FilePath to = controller.child(stack.workDir());
            if (!from.exists()) {
                continue;
            }
            to.deleteRecursive();
            from.copyRecursiveTo("**/*", StateLayout.STACK_WORK_EXCLUDES, to);
            FilePath keptFile = to.child(io.jenkins.plugins.berth.terraform.StackFolder.DEPLOY_FILE);
            // The workspace's copy is never kept: without a trusted one the teardown has none.
            if (trusted.isPresent()) {
                keptFile.write(trusted.get(), "UTF-8");
            } else {
                keptFile.delete();
            }
        }
    }

    /** The workspace's record, if it wrote a readable one of a sane size. */
    private Optional<EnvironmentRecord> written(FilePath file, PrintStream log) throws IOException, InterruptedException {
        return written(file, environment, log);
    }

    /** The record of {@code environment} a workspace wrote to {@code file}, if readable and of a sane size. */
    static Optional<EnvironmentRecord> written(FilePath file, String environment, PrintStream log)
            throws IOException, InterruptedException {
        if (!file.exists()) {
            return Optional.empty();
        }
        if (file.length() > MAX_RECORD) {
            log.println("berth: the workspace's record of " + environment + " is larger than " + MAX_RECORD
                    + " bytes; the controller's is kept unchanged");
            return Optional.empty();
        }
        try {
            return Optional.of(DirectoryStateStore.parse(file.getRemote(), file.readToString()
                    .getBytes(StandardCharsets.UTF_8)));
        } catch (StateException | IOException e) {
            log.println("berth: the workspace's record of " + environment + " is unreadable (" + e.getMessage()
                    + "); the controller's is kept unchanged");
            return Optional.empty();
        }
    }

    /** The trusted deploy file, or none (said in the log) when the controller keeps none or cannot read it. */
    private Optional<DeployFile> keptDeployFile(PrintStream log) throws IOException {
        try {
            return BerthStates.get().keptDeployFile(project, environment);
        } catch (DeployFileException e) {
            log.println("berth: the deploy file kept for " + environment + " is unreadable: " + e.getMessage());
            return Optional.empty();
        }
    }

    private static DirectoryStateStore store(String project) {
        return new DirectoryStateStore(BerthStates.get().projectFolder(project).toPath());
    }

    /** The controller's record of an environment of {@code project}, if it keeps one. */
    static Optional<EnvironmentRecord> stored(String project, String environment) throws IOException {
        try {
            return store(project).read(environment);
        } catch (StateException e) {
            throw new IOException("berth: the controller's record of " + environment + " is unreadable", e);
        }
    }

    private FilePath controllerFolder() {
        return new FilePath(BerthStates.get().projectFolder(project));
    }
}
