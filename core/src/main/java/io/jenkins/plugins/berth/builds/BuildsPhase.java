package io.jenkins.plugins.berth.builds;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.Json;
import io.jenkins.plugins.berth.environments.BuildRecord;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.model.Build;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.LinkOutsideRepositoryException;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.PackerDeclarations;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.Phase;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.Task;
import io.jenkins.plugins.berth.run.TaskContext;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code builds} phase: Packer templates built between the images and the infrastructure, all at the same
 * time (up to {@code --parallel}); a build whose {@code only} lists several sources is one task per source. Per
 * task: its {@link BuildVersion}; when a record of this project has artifacts of that version (and their files
 * are still there), they are reused and nothing runs, unless {@code rebuild}; otherwise the template is copied
 * to a {@link BuildFolder}, then {@code packer init} (when it has {@code required_plugins}), {@code validate} and
 * {@code build -machine-readable}, whose {@code ui} lines are shown under the task's name and whose
 * {@code artifact} lines become the record's artifacts and the build's outputs.
 *
 * <p>Variables reach Packer in {@link BuildFolder#VARIABLES_FILE}; a variable whose value holds a secret only
 * through the environment ({@code PKR_VAR_<name>}), never in a file. A stopped build (timeout, Ctrl-C, abort)
 * gets SIGINT and {@link Command#CLEANUP_STOP_GRACE} to clean up before its process group is killed.
 */
public final class BuildsPhase implements Phase {

    private final Path repositoryRoot;
    private final Path stateFolder;
    private final StateStore state;
    private final List<Path> searchPath;
    private final boolean rebuild;
    private Optional<String> packerVersion = Optional.empty();

    /**
     * @param stateFolder where the builds' work folders are kept
     * @param state the records searched for a version built before
     * @param rebuild build every version again, even one that made artifacts before
     */
    public BuildsPhase(Path repositoryRoot, Path stateFolder, StateStore state, List<Path> searchPath,
            boolean rebuild) {
        this.repositoryRoot = repositoryRoot;
        this.stateFolder = stateFolder;
        this.state = state;
        this.searchPath = List.copyOf(searchPath);
        this.rebuild = rebuild;
    }

    @Override
    public Feature feature() {
        return Feature.BUILDS;
    }

    /** One build task: its step name and the sources it is limited to (none: all of them). */
    /** The step names of the file's builds, in order ({@code berth up --step builds:NAME}). */
    public static List<String> stepNames(DeployFile file) {
        return file.builds().stream().flatMap(b -> b.parts().stream()).map(Build.Part::name).toList();
    }

    /** The entry a step name belongs to: {@code app} of {@code app/file.a}. */
    public static String entryOf(String stepName) {
        int slash = stepName.indexOf('/');
        return slash < 0 ? stepName : stepName.substring(0, slash);
    }

    @Override
    public List<List<Task>> tasks(DeployFile file, RunVariables variables) {
        if (file.builds().isEmpty()) {
            return List.of();
        }
        // Packer is looked for when a build runs, not before: a step that runs none (a stage, a build reported from
        // another agent) needs no Packer where it runs.
        List<Task> tasks = new ArrayList<>();
        for (Build build : file.builds()) {
            for (Build.Part part : build.parts()) {
                tasks.add(new Task(part.name(), BuildRecord.KIND, OnFailure.ABORT, false,
                        Optional.of(build.timeoutOrDefault()),
                        context -> build(PackerBinary.find(searchPath), part, context)));
            }
        }
        return List.of(tasks);
    }

    /** A redeploy: each build's outputs from the artifacts the environment's record has, nothing built. */
    @Override
    public List<List<Task>> readOnlyTasks(DeployFile file, RunVariables variables) {
        if (file.builds().isEmpty()) {
            return List.of();
        }
        String environment = variables.builtin(BuiltinVariables.ENVIRONMENT).orElseThrow();
        List<Task> tasks = new ArrayList<>();
        for (Build build : file.builds()) {
            for (Build.Part part : build.parts()) {
                tasks.add(new Task(part.name(), BuildRecord.KIND, OnFailure.ABORT, false, context -> {
                    BuildRecord recorded = read(environment).flatMap(r -> r.builds().stream()
                            .filter(b -> b.name().equals(part.name()) && b.succeeded()).findFirst())
                            .orElseThrow(() -> new TaskFailedException("build " + part.name() + " has no artifacts"
                                    + " recorded for " + environment + ": run berth up first"));
                    publish(part, recorded.artifacts(), context);
                    context.log().info("build " + part.name() + ": artifacts of version " + recorded.version()
                            + " as recorded, nothing built");
                }));
            }
        }
        return List.of(tasks);
    }

    /** The version of a part's configuration, with the variables the task resolved. */
    private String version(Build.Part part, Map<String, Optional<String>> vars, String packer) throws TaskFailedException,
            IOException {
        try {
            return BuildVersion.of(repositoryRoot, part.build().dir().path(), part.only(), vars, packer);
        } catch (LinkOutsideRepositoryException e) {
            throw new TaskFailedException("build " + part.name() + ": " + e.getMessage());
        }
    }

    private void build(Path packer, Build.Part part, TaskContext context)
            throws BerthException, IOException, InterruptedException {
        Build build = part.build();
        String project = context.variables().builtin(BuiltinVariables.PROJECT).orElseThrow();
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Optional<String>> versioned = new LinkedHashMap<>();
        Map<String, String> sensitive = new LinkedHashMap<>();
        build.vars().forEach((name, template) -> {
            String value = context.variables().resolve(template, Scope.Site.of(Scope.Kind.BUILDS));
            if (context.masker().containsSecret(value)) {
                sensitive.put("PKR_VAR_" + name, value);
                versioned.put(name, Optional.empty());
            } else {
                values.put(name, value);
                versioned.put(name, Optional.of(value));
            }
        });
        String version = version(part, versioned, packerVersion(packer, context));
        context.log().info("build " + part.name() + ": version " + version);
        if (!rebuild) {
            Optional<Reusable> earlier = builtBefore(project, part.name(), version);
            if (earlier.isPresent()) {
                BuildRecord found = earlier.get().record();
                publish(part, found.artifacts(), context);
                context.useBuild(new BuildRecord(part.name(), version, BuildRecord.SUCCEEDED, found.artifacts(),
                        found.workDir(), true));
                context.log().info("build " + part.name() + ": version " + version + " was built before (environment "
                        + earlier.get().environment() + "), build skipped; --rebuild builds it again");
                return;
            }
        }
        BuildFolder folder = BuildFolder.of(stateFolder, project, build.name(), version);
        try {
            folder.copyFrom(repositoryRoot, build.dir().path());
        } catch (LinkOutsideRepositoryException e) {
            throw new TaskFailedException("build " + part.name() + ": " + e.getMessage());
        }
        folder.writeVariables(Json.mapper().writeValueAsString(values));
        // Recorded before building: a failed or stopped build may still have written files that down removes.
        context.useBuild(new BuildRecord(part.name(), version, BuildRecord.RUNNING, List.of(), folder.relativePath(),
                false));
        Map<String, String> environment = new LinkedHashMap<>(environment(folder));
        environment.putAll(sensitive);
        String dir = folder.template().toString();
        List<String> only = part.only().isEmpty() ? List.of() : List.of("-only=" + String.join(",", part.only()));
        PackerDeclarations template = PackerDeclarations.read(RepositoryFiles.of(folder.template()), "");
        if (template.requiredPlugins()) {
            context.run("packer init", Command.packer(List.of(packer.toString(), "init", "."), dir, environment));
        }
        List<String> validate = new ArrayList<>(List.of(packer.toString(), "validate"));
        validate.addAll(only);
        validate.add(".");
        context.run("packer validate", Command.packer(validate, dir, environment));
        List<String> arguments = new ArrayList<>(List.of(packer.toString(), "build", "-machine-readable",
                "-color=false", "-on-error=cleanup"));
        arguments.addAll(only);
        arguments.add(".");
        MachineReadable output = new MachineReadable();
        int exitCode = context.commands().runForExitCode("packer build", Command.packer(arguments, dir, environment),
                line -> output.shown(line).forEach(shown -> context.log().output(context.taskName(), shown)));
        if (exitCode != 0) {
            throw new TaskFailedException("packer build exited with code " + exitCode, exitCode);
        }
        List<BuildRecord.BuildArtifact> artifacts = Manifest.apply(folder.template(),
                output.artifacts(folder.template()));
        publish(part, artifacts, context);
        context.useBuild(new BuildRecord(part.name(), version, BuildRecord.SUCCEEDED, artifacts, folder.relativePath(),
                false));
        for (BuildRecord.BuildArtifact artifact : artifacts) {
            context.log().info("build " + part.name() + ": artifact of " + artifact.source() + ": "
                    + artifact.string());
        }
    }

    /**
     * Packer's environment: no checkpoint call home, and its cache, plugins and configuration inside the work
     * folder (a build neither uses nor fills the user's {@code ~/.packer.d}).
     */
    static Map<String, String> environment(BuildFolder folder) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("CHECKPOINT_DISABLE", "1");
        environment.put("PACKER_CACHE_DIR", folder.cache().toString());
        environment.put("PACKER_PLUGIN_PATH", folder.plugins().toString());
        environment.put("PACKER_CONFIG_DIR", folder.config().toString());
        return environment;
    }

    /** The outputs of {@code part}'s sources, published for later stacks and stages; a missing one fails the task. */
    private static void publish(Build.Part part, List<BuildRecord.BuildArtifact> artifacts, TaskContext context)
            throws TaskFailedException {
        for (Build.Output output : part.build().outputs()) {
            if (!part.only().isEmpty() && !part.only().contains(output.source())) {
                continue;
            }
            BuildOutputs.Value value = BuildOutputs.value(output, artifacts);
            if (value instanceof BuildOutputs.Missing missing) {
                throw new TaskFailedException("build " + part.name() + " has no " + output.artifact() + " for "
                        + output.variable() + ": " + missing.why());
            }
            context.variables().publish(output.variable(), ((BuildOutputs.Found) value).value());
        }
    }

    /** A build of the same version that made artifacts, and the environment that recorded it. */
    private record Reusable(String environment, BuildRecord record) {}

    private Optional<Reusable> builtBefore(String project, String name, String version) throws IOException {
        for (EnvironmentRecord record : state.records().readable()) {
            if (!record.project().equals(project) || record.isGone()) {
                continue;
            }
            for (BuildRecord build : record.builds()) {
                if (build.name().equals(name) && build.version().equals(version) && build.succeeded()
                        && build.files().stream().allMatch(f -> Files.exists(Path.of(f)))) {
                    return Optional.of(new Reusable(record.name(), build));
                }
            }
        }
        return Optional.empty();
    }

    private Optional<EnvironmentRecord> read(String environment) throws IOException, TaskFailedException {
        try {
            return state.read(environment);
        } catch (StateException e) {
            throw new TaskFailedException(e.getMessage());
        }
    }

    /** {@code packer version}, asked once per run. */
    private synchronized String packerVersion(Path packer, TaskContext context)
            throws TaskFailedException, InterruptedException {
        if (packerVersion.isEmpty()) {
            String out = context.capture("packer version", Command.packer(List.of(packer.toString(), "version"), "",
                    Map.of("CHECKPOINT_DISABLE", "1")));
            packerVersion = Optional.of(PackerBinary.parseVersion(out).orElse(out.strip()));
        }
        return packerVersion.get();
    }
}
