package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.kaniko.KanikoJob;
import io.jenkins.plugins.berth.images.kaniko.KanikoJobs;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.ImageTags;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.ImageSpec;
import io.jenkins.plugins.berth.model.LinkOutsideRepositoryException;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.Registry;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.RepositoryPaths;
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
import io.jenkins.plugins.berth.model.BuildContext;
import io.jenkins.plugins.berth.model.ImageBuilder;
import java.util.Optional;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code images} phase: every image built once per content, all at the same time (up to
 * {@code --parallel}). Per image: its {@link ContentTag}; when the registry already has that tag
 * (manifest HEAD), the build is skipped; otherwise the builder builds and pushes it under the content
 * tag. The tags of {@link ImageTags} (commit and environment; {@code latest} and the extra tags on a release
 * branch) are then given to the same manifest by retag,
 * and stages get {@code BERTH_IMAGE_<NAME>} as a digest-pinned reference.
 */
public final class ImagesPhase implements Phase {

    private final Path repositoryRoot;
    private final Function<String, RegistryClient> clients;
    private final Map<String, String> builderEnvironment;
    private final Clock clock;
    private final Optional<KanikoJobs> kanikoJobs;

    /**
     * @param clients the registry client for a registry host
     * @param builderEnvironment variables for the builder's process (for buildah: storage driver, isolation)
     */
    public ImagesPhase(Path repositoryRoot, Function<String, RegistryClient> clients,
            Map<String, String> builderEnvironment, Clock clock) {
        this(repositoryRoot, clients, builderEnvironment, clock, Optional.empty());
    }

    /** As above; {@code kanikoJobs}: the clusters {@code builder: kaniko-job} builds in (none: it is refused). */
    public ImagesPhase(Path repositoryRoot, Function<String, RegistryClient> clients,
            Map<String, String> builderEnvironment, Clock clock, Optional<KanikoJobs> kanikoJobs) {
        this.repositoryRoot = repositoryRoot;
        this.clients = clients;
        this.builderEnvironment = Map.copyOf(builderEnvironment);
        this.clock = clock;
        this.kanikoJobs = kanikoJobs;
    }

    @Override
    public Feature feature() {
        return Feature.IMAGES;
    }


    @Override
    public void check(DeployFile file, RunVariables variables) throws BerthException {
        if (!file.images().isEmpty() && file.registry().orElseThrow() instanceof Registry.Ecr) {
            throw new BerthException("building into ECR is not supported yet; use a registry address");
        }
        if (!file.images().isEmpty() && file.builder() == ImageBuilder.KANIKO_JOB && kanikoJobs.isEmpty()) {
            throw new BerthException("builder kaniko-job is not available here; use another builder");
        }
        if (!file.images().isEmpty()) {
            String environment = variables.builtin(BuiltinVariables.ENVIRONMENT).orElseThrow();
            java.util.Optional<String> conflict = ImageTags.environmentTagConflict(file, environment);
            if (conflict.isPresent()) {
                throw new BerthException(conflict.get());
            }
        }
    }

    @Override
    public List<List<Task>> tasks(DeployFile file, RunVariables variables) {
        if (file.images().isEmpty()) {
            return List.of();
        }
        return List.of(file.images().values().stream().map(image -> new Task(image.name(), "image", OnFailure.ABORT,
                false, context -> build(file, image, context))).toList());
    }

    private void build(DeployFile file, ImageSpec image, TaskContext context)
            throws BerthException, IOException, InterruptedException {
        Registry registry = file.registry().orElseThrow();
        String host = registry.host();
        String repository = registry.repositoryOf(image.name());
        RegistryClient client = clients.apply(host);
        Map<String, String> args = new LinkedHashMap<>();
        image.args().forEach((name, template) -> args.put(name, context.variables().resolve(template,
                Scope.Site.of(Scope.Kind.IMAGES))));
        String contentTag;
        Path contextFolder;
        Path dockerfile;
        try {
            contentTag = ContentTag.of(repositoryRoot, image.context().path(), image.dockerfile().path(), args,
                    image.target().map(ImageSpec.Setting::value),
                    image.platforms().stream().map(ImageSpec.Setting::value).toList());
            // The builder gets the real paths: what the tag was computed from.
            RepositoryFiles files = RepositoryFiles.of(repositoryRoot);
            contextFolder = repositoryRoot.resolve(RepositoryPaths.real(files, image.context().path()));
            dockerfile = repositoryRoot.resolve(RepositoryPaths.real(files, image.dockerfile().path()));
        } catch (LinkOutsideRepositoryException e) {
            throw new TaskFailedException("image " + image.name() + ": " + e.getMessage());
        }
        ImageReference built = ImageReference.of(host, repository, contentTag);
        String commit = context.variables().builtin(BuiltinVariables.COMMIT).orElse("");
        if (client.headManifest(repository, contentTag).isPresent()) {
            context.log().info("image " + image.name() + ": " + built + " exists (same Dockerfile, args and files),"
                    + " build skipped");
        } else {
            Map<String, String> labels = new LinkedHashMap<>();
            if (!commit.isEmpty()) {
                labels.put("org.opencontainers.image.revision", commit);
            }
            labels.put("org.opencontainers.image.source", context.variables().builtin(BuiltinVariables.PROJECT)
                    .orElseThrow());
            labels.put("org.opencontainers.image.created", clock.instant().toString());
            if (file.builder() == ImageBuilder.KANIKO_JOB) {
                buildInCluster(file, image, context, args, labels, built, dockerfile);
            } else {
                buildHere(file, image, context, args, labels, built, contextFolder, dockerfile);
            }
        }
        String digest = client.headManifest(repository, contentTag).orElseThrow(() -> new TaskFailedException(
                "the build of " + image.name() + " ended, but " + built + " is not in the registry")).digest();
        Promoter promoter = new Promoter(client);
        List<String> tags = ImageTags.of(file, image,
                context.variables().builtin(BuiltinVariables.BRANCH).orElseThrow(),
                context.variables().builtin(BuiltinVariables.ENVIRONMENT).orElseThrow(), commit);
        for (String tag : tags) {
            promoter.promote(built, ImageReference.of(host, repository, tag));
        }
        String pinned = ImageReference.pinned(host, repository, digest).toString();
        context.variables().publish(BuiltinVariables.imageVariable(image.name()), pinned);
        context.log().info("image " + image.name() + ": " + pinned + " tagged " + String.join(", ", tags));
    }

    /** The builder's commands, run here. */
    private void buildHere(DeployFile file, ImageSpec image, TaskContext context, Map<String, String> args,
            Map<String, String> labels, ImageReference built, Path contextFolder, Path dockerfile)
            throws BerthException, IOException, InterruptedException {
        String host = built.registry();
        Optional<Path> ignoreFile = rootIgnoreFile(file, image);
        try {
            BuildCommands.Build build = new BuildCommands.Build(contextFolder, dockerfile, args, labels, built,
                    isLoopback(host), ignoreFile, image.target().map(ImageSpec.Setting::value),
                    image.platforms().stream().map(ImageSpec.Setting::value).toList());
            for (Command command : BuildCommands.of(file.builder(), build, builderEnvironment)) {
                context.run(file.builder().keyword() + " " + command.arguments().get(1), command);
            }
        } finally {
            if (ignoreFile.isPresent()) {
                Files.deleteIfExists(ignoreFile.get());
            }
        }
    }

    /**
     * {@code builder: kaniko-job}: kaniko's command line as {@code builder: kaniko} has it, with the context and the
     * Dockerfile where the Job's claim holds them, run as a Job; the context sent is the content tag's files.
     */
    private void buildInCluster(DeployFile file, ImageSpec image, TaskContext context, Map<String, String> args,
            Map<String, String> labels, ImageReference built, Path dockerfile)
            throws BerthException, IOException, InterruptedException {
        BuildCommands.Build build = new BuildCommands.Build(Path.of(KanikoJob.CONTEXT), Path.of(KanikoJob.DOCKERFILE),
                args, labels, built, isLoopback(built.registry()), Optional.empty(),
                image.target().map(ImageSpec.Setting::value),
                image.platforms().stream().map(ImageSpec.Setting::value).toList());
        Command command = BuildCommands.of(ImageBuilder.KANIKO_JOB, build, Map.of()).get(0);
        Map<String, Path> files = new LinkedHashMap<>();
        try {
            BuildContext.files(RepositoryFiles.of(repositoryRoot), image.context().path())
                    .forEach((inContext, real) -> files.put(inContext, repositoryRoot.resolve(real)));
        } catch (LinkOutsideRepositoryException e) {
            throw new TaskFailedException("image " + image.name() + ": " + e.getMessage());
        }
        KanikoJobs jobs = kanikoJobs.orElseThrow();
        KanikoJob.Request request = new KanikoJob.Request(image.name(),
                context.variables().builtin(BuiltinVariables.PROJECT).orElseThrow(),
                context.variables().builtin(BuiltinVariables.ENVIRONMENT).orElseThrow(), command.arguments(), files,
                dockerfile, built.registry(), jobs.credentials(built.registry()));
        try (KanikoJob job = jobs.open(file.kanikoJob(), repositoryRoot)) {
            job.build(request, context.log(), context.taskName());
        }
    }

    /**
     * For buildah and a context that is the deploy file's folder: a temporary ignore file, the context's
     * {@code .dockerignore} followed by {@link BuildContext#LEFT_OUT_OF_THE_ROOT} (last, so no {@code !} pattern
     * lets them back in), so that the build takes the files the content tag was computed from. Outside the
     * repository, so the build never sees it.
     */
    private Optional<Path> rootIgnoreFile(DeployFile file, ImageSpec image) throws IOException {
        if (file.builder() != ImageBuilder.BUILDAH || !BuildContext.isRoot(image.context().path())) {
            return Optional.empty();
        }
        RepositoryFiles files = RepositoryFiles.of(repositoryRoot);
        StringBuilder text = new StringBuilder(files.isFile(BuildContext.IGNORE_FILE)
                ? files.read(BuildContext.IGNORE_FILE) : "");
        text.append("\n# left out by Berth: its own folder and git's\n");
        BuildContext.LEFT_OUT_OF_THE_ROOT.forEach(name -> text.append(name).append('\n'));
        Path ignore = Files.createTempFile("berth-", ".dockerignore");
        Files.writeString(ignore, text);
        return Optional.of(ignore);
    }

    private static boolean isLoopback(String host) {
        String name = host.replaceFirst(":[0-9]+$", "");
        return name.equals("127.0.0.1") || name.equals("localhost");
    }
}
