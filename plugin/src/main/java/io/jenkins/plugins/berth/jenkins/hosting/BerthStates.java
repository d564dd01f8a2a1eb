package io.jenkins.plugins.berth.jenkins.hosting;

import hudson.Extension;
import hudson.AbortException;
import hudson.ExtensionList;
import io.jenkins.plugins.berth.jenkins.config.BerthGlobalConfiguration;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.pipeline.ProjectOwner;
import io.jenkins.plugins.berth.terraform.StateBodies;
import io.jenkins.plugins.berth.terraform.StateEndpoint;
import io.jenkins.plugins.berth.terraform.StateStorage;
import io.jenkins.plugins.berth.terraform.StateTokens;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jenkins.model.Jenkins;

/**
 * What the controller keeps for Berth, under {@code $JENKINS_HOME/berth/}: the Terraform states it
 * serves ({@code terraform-states/<project>/<stack>/<environment>}), each project's environment records
 * and kept files ({@code projects/<project>/}), and the hashes of the running builds' tokens
 * ({@code state-tokens.txt}; never a token itself).
 */
@Extension
public final class BerthStates {

    /** In a project's folder: the full name of the multibranch folder that deploys it. */
    private static final String FOLDER_FILE = "folder.txt";

    /** Read on first use, when Jenkins' home is known. */
    private StateTokens tokens;
    /** One bound on the bodies being read for all of the endpoint's requests. */
    private final StateBodies bodies = new StateBodies();

    public static BerthStates get() {
        return ExtensionList.lookupSingleton(BerthStates.class);
    }

    /**
     * The builds' tokens, whose hashes are kept in {@code berth/state-tokens.txt} so that a deploy running
     * through a restart can still save its Terraform state.
     */
    public synchronized StateTokens tokens() {
        if (tokens == null) {
            try {
                tokens = StateTokens.persistent(root().resolve("state-tokens.txt"), java.time.Clock.systemUTC());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("berth: cannot read " + root().resolve("state-tokens.txt"), e);
            }
        }
        return tokens;
    }

    public StateStorage storage() {
        return new StateStorage(root().resolve("terraform-states"),
                BerthGlobalConfiguration.get().getKeptStateVersions());
    }

    /** The state endpoint for one request: today's storage settings, the shared {@link #bodies} bound. */
    public StateEndpoint endpoint() {
        return new StateEndpoint(storage(), StateEndpoint.Passwords.of(tokens()), bodies);
    }

    /**
     * A project's records and kept files: the state folder its builds copy in and back.
     *
     * @throws IllegalArgumentException for a name that is not a project's (it could leave the folder)
     */
    public File projectFolder(String project) {
        if (!StateStorage.isProject(project)) {
            throw new IllegalArgumentException("not a project name: '" + project + "'");
        }
        return root().resolve("projects").resolve(project).toFile();
    }

    /**
     * Notes which multibranch folder deploys a project, so that the folder's page, teardowns and reaping find
     * its environments; {@link ProjectOwner} decides. Builds outside a multibranch folder (a plain Pipeline
     * job) note nothing.
     *
     * @throws AbortException when another folder that still exists owns the project; nothing is changed
     */
    public synchronized void claim(String project, hudson.model.Run<?, ?> build) throws IOException {
        java.util.Optional<String> deploying = build.getParent().getParent()
                instanceof org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject folder
                ? java.util.Optional.of(folder.getFullName()) : java.util.Optional.empty();
        ProjectOwner.Decision decision = ProjectOwner.decide(project, folderOf(project), deploying,
                name -> Jenkins.get().getItemByFullName(name,
                        org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject.class) != null);
        if (decision instanceof ProjectOwner.Refuse refuse) {
            throw new AbortException("berth: " + refuse.reason());
        }
        if (decision instanceof ProjectOwner.Take take) {
            Path folder = projectFolder(project).toPath();
            Files.createDirectories(folder);
            Files.writeString(folder.resolve(FOLDER_FILE), take.folder(), StandardCharsets.UTF_8);
        }
    }

    /** The projects a folder's builds deployed, by {@link #claim}. */
    public java.util.List<DirectoryStateStore> projectsOf(String folderFullName) throws IOException {
        java.util.List<DirectoryStateStore> projects = new java.util.ArrayList<>();
        for (java.util.Map.Entry<DirectoryStateStore, String> noted : folderNotes().entrySet()) {
            if (noted.getValue().equals(folderFullName)) {
                projects.add(noted.getKey());
            }
        }
        return projects;
    }

    /** The multibranch folder that deploys a project, by {@link #claim}. */
    public java.util.Optional<String> folderOf(String project) throws IOException {
        return folderNote(projectFolder(project).toPath());
    }

    private static java.util.Optional<String> folderNote(Path projectFolder) throws IOException {
        Path file = projectFolder.resolve(FOLDER_FILE);
        return Files.isRegularFile(file) ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8))
                : java.util.Optional.empty();
    }

    /** The folders that deploy projects here, by {@link #claim}. */
    public java.util.Set<String> folders() throws IOException {
        return new java.util.HashSet<>(folderNotes().values());
    }

    /** Each project that has a folder note, with the folder's full name, in project order. */
    private java.util.Map<DirectoryStateStore, String> folderNotes() throws IOException {
        java.util.Map<DirectoryStateStore, String> notes = new java.util.LinkedHashMap<>();
        for (DirectoryStateStore store : projects()) {
            java.util.Optional<String> folder = folderNote(store.folder());
            if (folder.isPresent()) {
                notes.put(store, folder.get());
            }
        }
        return notes;
    }

    /** Every project's records, for the Environments page. */
    public java.util.List<DirectoryStateStore> projects() {
        File[] folders = root().resolve("projects").toFile().listFiles(File::isDirectory);
        return folders == null ? java.util.List.of()
                : java.util.Arrays.stream(folders).sorted().map(f -> new DirectoryStateStore(f.toPath())).toList();
    }

    /**
     * The deploy file the controller keeps for an environment's teardown ({@code kept/<environment>/}), which
     * the controller itself wrote from the trusted revision; empty when it keeps none.
     *
     * @throws io.jenkins.plugins.berth.model.DeployFileException when the kept file does not parse
     */
    public java.util.Optional<io.jenkins.plugins.berth.model.DeployFile> keptDeployFile(String project,
            String environment) throws IOException, io.jenkins.plugins.berth.model.DeployFileException {
        java.util.Optional<Path> file = keptDeployFilePath(project, environment);
        return file.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(io.jenkins.plugins.berth.model.DeployFiles.parse(file.get().toString(),
                        Files.readAllBytes(file.get()), java.util.Optional.empty()));
    }

    /** The text of the deploy file {@link #keptDeployFile} reads, unparsed. */
    public java.util.Optional<String> keptDeployFileText(String project, String environment) throws IOException {
        java.util.Optional<Path> file = keptDeployFilePath(project, environment);
        return file.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(Files.readString(file.get(), StandardCharsets.UTF_8));
    }

    private java.util.Optional<Path> keptDeployFilePath(String project, String environment) {
        Path kept = new DirectoryStateStore(projectFolder(project).toPath()).keptFolder(environment);
        return io.jenkins.plugins.berth.model.DeployFiles.NAMES.stream().map(kept::resolve)
                .filter(Files::isRegularFile).findFirst();
    }

    /**
     * Notes, for the Environments page, what the last deploy of an environment could use (the policy that
     * applied to its change): {@code projects/<project>/access/<environment>.txt}, written by the controller.
     */
    public synchronized void noteAccess(String project, String environment,
            io.jenkins.plugins.berth.pipeline.ChangeAccess access) throws IOException {
        Path file = accessNote(project, environment);
        Files.createDirectories(projectFolder(project).toPath().resolve("access"));
        Files.writeString(file, (access.credentials() ? WITH_CREDENTIALS : WITHOUT_CREDENTIALS) + "\n"
                + access.summary(), StandardCharsets.UTF_8);
    }

    /** The summary {@link #noteAccess} noted for an environment's last deploy, if any. */
    public java.util.Optional<String> access(String project, String environment) throws IOException {
        return accessLines(project, environment).map(lines -> lines.length > 1 ? lines[1] : "");
    }

    /**
     * Whether the environment's last deploy had its credentials: its teardown gets no more than that, since it
     * runs the Terraform sources that deploy brought. An environment no deploy noted (as before this note) had.
     */
    public boolean deployedWithCredentials(String project, String environment) throws IOException {
        return accessLines(project, environment).map(lines -> !lines[0].equals(WITHOUT_CREDENTIALS)).orElse(true);
    }

    private java.util.Optional<String[]> accessLines(String project, String environment) throws IOException {
        Path file = accessNote(project, environment);
        return Files.isRegularFile(file)
                ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8).split("\n", 2))
                : java.util.Optional.empty();
    }

    private Path accessNote(String project, String environment) {
        return projectFolder(project).toPath().resolve("access").resolve(
                io.jenkins.plugins.berth.model.EnvironmentNames.requireLabel("environment", environment) + ".txt");
    }

    /**
     * Notes the version of the folder's Berth settings an environment's last successful deploy ran with
     * ({@code projects/<project>/settings/<environment>.txt}): when the folder's settings move on, the
     * Environments page offers to redeploy it.
     */
    public synchronized void noteSettings(String project, String environment, String version) throws IOException {
        Files.createDirectories(projectFolder(project).toPath().resolve("settings"));
        Files.writeString(settingsNote(project, environment), version, StandardCharsets.UTF_8);
    }

    /** The settings version {@link #noteSettings} noted for an environment, if any. */
    public java.util.Optional<String> settingsVersion(String project, String environment) throws IOException {
        Path file = settingsNote(project, environment);
        return Files.isRegularFile(file) ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                : java.util.Optional.empty();
    }

    private Path settingsNote(String project, String environment) {
        return projectFolder(project).toPath().resolve("settings").resolve(
                io.jenkins.plugins.berth.model.EnvironmentNames.requireLabel("environment", environment) + ".txt");
    }

    /**
     * The build arguments a project's builds were asked for, per environment, and the environments a build waits
     * for them ({@code projects/<project>/build-args/}, {@link io.jenkins.plugins.berth.pipeline.BuildArgNotes}).
     */
    public io.jenkins.plugins.berth.pipeline.BuildArgNotes buildArgNotes(String project) {
        return new io.jenkins.plugins.berth.pipeline.BuildArgNotes(projectFolder(project).toPath().resolve("build-args"));
    }

    private static final String WITH_CREDENTIALS = "credentials: yes";
    private static final String WITHOUT_CREDENTIALS = "credentials: no";

    private static Path root() {
        return Jenkins.get().getRootDir().toPath().resolve("berth");
    }

    /**
     * Notes which deploy holds {@code environment} ({@code holder}), or that none does (empty), on disk: after
     * a controller restart a deploy that waited must not take the turn of one whose body is still resuming.
     */
    public synchronized void noteHolder(String environment, String holder) throws IOException {
        Files.createDirectories(root().resolve("deploying"));
        Files.writeString(holderNote(environment), holder, StandardCharsets.UTF_8);
    }

    /** Removes the note that {@code holder} holds {@code environment}; a note naming another deploy stays. */
    public synchronized void releaseHolder(String environment, String holder) throws IOException {
        if (holder(environment).filter(holder::equals).isPresent()) {
            Files.delete(holderNote(environment));
        }
    }

    /** The deploy noted as holding {@code environment}, if any. */
    public synchronized java.util.Optional<String> holder(String environment) throws IOException {
        Path file = holderNote(environment);
        return Files.isRegularFile(file) ? java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip())
                : java.util.Optional.empty();
    }

    private static Path holderNote(String environment) {
        return root().resolve("deploying").resolve(environment + ".txt");
    }
}
