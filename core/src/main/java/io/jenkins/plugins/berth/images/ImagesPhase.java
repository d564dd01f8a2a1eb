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
import io.jenkins.plugins.berth.model.ImageRepositories;
import java.util.Optional;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The {@code images} phase: every image built once per content, all at the same time (up to
 * {@code --parallel}). Per image: its base images pinned to their digests ({@link BaseImages}), then its
 * {@link ContentTag}; when the registry already has that tag (manifest HEAD), the build is skipped (unless
 * {@link Options#rebuild}); otherwise the builder builds and pushes it under the content tag, from exactly the files
 * and base images the tag was computed from. The tags of {@link ImageTags} (commit and environment; {@code latest} and
 * the extra tags on a release branch) are then given to the same manifest by retag, and stages get
 * {@code BERTH_IMAGE_<NAME>} as a digest-pinned reference. A deploy of a commit other than the one checked out builds
 * from that commit's files ({@link CommitTree}).
 */
public final class ImagesPhase implements Phase {

    /**
     * How {@code berth up} builds: {@code rebuild} builds even when the content tag exists ({@code --rebuild});
     * {@code offline} asks no registry for base images' digests ({@code --offline}: the content tag then covers the
     * Dockerfile's text only, and the log says so).
     */
    public record Options(boolean rebuild, boolean offline) {
        public static final Options DEFAULT = new Options(false, false);
    }

    private final Path repositoryRoot;
    private final PushTargets targets;
    private final Map<String, String> builderEnvironment;
    private final Clock clock;
    private final Options options;
    /** The commit trees this phase unpacked, deleted when the run ends. */
    private final List<CommitTree.Source> trees = new ArrayList<>();
    private final Optional<KanikoJobs> kanikoJobs;

    /**
     * For registry addresses only (an ECR registry is refused when a build starts).
     *
     * @param clients the registry client for a registry host
     * @param builderEnvironment variables for the builder's process (for buildah: storage driver, isolation)
     */
    public ImagesPhase(Path repositoryRoot, Function<String, RegistryClient> clients,
            Map<String, String> builderEnvironment, Clock clock) {
        this(repositoryRoot, clients, builderEnvironment, clock, Options.DEFAULT);
    }

    /** For registry addresses only, built as {@code options} say. */
    public ImagesPhase(Path repositoryRoot, Function<String, RegistryClient> clients,
            Map<String, String> builderEnvironment, Clock clock, Options options) {
        this(repositoryRoot, PushTargets.addresses(clients), builderEnvironment, clock, options, Optional.empty());
    }

    /**
     * @param targets where each repository's images go, and with which login (ECR's from its token)
     * @param kanikoJobs the clusters {@code builder: kaniko-job} builds in (none: it is refused)
     */
    public ImagesPhase(Path repositoryRoot, PushTargets targets, Map<String, String> builderEnvironment, Clock clock,
            Options options, Optional<KanikoJobs> kanikoJobs) {
        this.repositoryRoot = repositoryRoot;
        this.targets = targets;
        this.builderEnvironment = Map.copyOf(builderEnvironment);
        this.clock = clock;
        this.options = options;
        this.kanikoJobs = kanikoJobs;
    }

    @Override
    public Feature feature() {
        return Feature.IMAGES;
    }

    @Override
    public void check(DeployFile file, RunVariables variables) throws BerthException {
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
        Run run = new Run(new BaseImages(targets::addressClient));
        return List.of(file.images().values().stream().map(image -> new Task(image.name(), "image", OnFailure.ABORT,
                false, context -> build(file, image, context, run))).toList());
    }

    @Override
    public void finish() {
        synchronized (trees) {
            for (CommitTree.Source tree : trees) {
                try {
                    CommitTree.delete(tree);
                } catch (IOException e) {
                    // A temporary folder left behind: nothing reads it again.
                }
            }
            trees.clear();
        }
    }

    /** What the images of one run share: base image digests asked once, the commit's files unpacked once. */
    private final class Run {
        final BaseImages bases;
        private CommitTree.Source source;

        Run(BaseImages bases) {
            this.bases = bases;
        }

        synchronized Path root(TaskContext context) throws TaskFailedException, InterruptedException, IOException {
            if (source == null) {
                source = CommitTree.of(repositoryRoot, context.variables().builtin(BuiltinVariables.COMMIT)
                        .orElse(""), context);
                synchronized (trees) {
                    trees.add(source);
                }
            }
            return source.root();
        }
    }

    private void build(DeployFile file, ImageSpec image, TaskContext context, Run run)
            throws BerthException, IOException, InterruptedException {
        Registry registry = file.registry().orElseThrow();
        String repository = ImageRepositories.of(registry, image,
                context.variables().builtin(BuiltinVariables.PROJECT).orElseThrow(),
                context.variables().builtin(BuiltinVariables.ENVIRONMENT).orElseThrow());
        PushTarget push = targets.of(registry, repository);
        // The builder's login (ECR's token) is masked like a deploy file's secret, in case a tool prints it.
        push.builderLogin().ifPresent(login -> context.masker().add(login.password()));
        String host = push.host();
        RegistryClient client = push.client();
        Map<String, String> args = new LinkedHashMap<>();
        image.args().forEach((name, template) -> args.put(name, context.variables().resolve(template,
                Scope.Site.of(Scope.Kind.IMAGES))));
        Path root = run.root(context);
        Optional<String> target = image.target().map(ImageSpec.Setting::value);
        List<String> platforms = image.platforms().stream().map(ImageSpec.Setting::value).toList();
        String contentTag;
        Path contextFolder;
        Path dockerfile;
        List<BaseImages.Pinned> bases = List.of();
        try {
            RepositoryFiles files = RepositoryFiles.of(root);
            String dockerfileText = files.read(image.dockerfile().path());
            if (options.offline()) {
                context.log().info("image " + image.name() + ": --offline: base images are not asked for; the content"
                        + " tag covers the Dockerfile's text only (a new base image under the same tag does not"
                        + " rebuild)");
            } else {
                bases = run.bases.pin(image.name(), image.dockerfile().path(), dockerfileText, args, target, platforms,
                        context.log());
                for (BaseImages.Pinned base : bases) {
                    context.log().info("image " + image.name() + ": " + base.use().instruction() + " " + base.key()
                            + " (" + image.dockerfile().path() + ":" + base.use().line() + ") is " + base.pinned());
                }
            }
            contentTag = ContentTag.of(root, new ContentTag.Inputs(image.context().path(), image.dockerfile().path(),
                    args, target, platforms, bases.stream().map(BaseImages.Pinned::pinned).toList()));
            // The builder gets the real paths: what the tag was computed from.
            contextFolder = root.resolve(RepositoryPaths.real(files, image.context().path()));
            dockerfile = root.resolve(RepositoryPaths.real(files, image.dockerfile().path()));
        } catch (LinkOutsideRepositoryException e) {
            throw new TaskFailedException("image " + image.name() + ": " + e.getMessage());
        }
        ImageReference built = ImageReference.of(host, repository, contentTag);
        String commit = context.variables().builtin(BuiltinVariables.COMMIT).orElse("");
        boolean exists = client.headManifest(repository, contentTag).isPresent();
        if (exists && !options.rebuild()) {
            context.log().info("image " + image.name() + ": " + built + " exists (same Dockerfile, args, base images"
                    + " and files), build skipped");
        } else {
            if (exists) {
                context.log().info("image " + image.name() + ": --rebuild: building " + built + " again");
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (!commit.isEmpty()) {
                labels.put("org.opencontainers.image.revision", commit);
            }
            labels.put("org.opencontainers.image.source", context.variables().builtin(BuiltinVariables.PROJECT)
                    .orElseThrow());
            labels.put("org.opencontainers.image.created", clock.instant().toString());
            runBuilder(file, image, context, root, new BuildCommands.Build(contextFolder, dockerfile, args, labels,
                    built, RegistryClient.isLoopback(host), Optional.empty(), target, platforms, bases), push);
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

    /**
     * Runs the builder over exactly the files the content tag was computed from: buildah with the ignore file in
     * effect as {@code --ignorefile} (a temporary file outside the repository: the Dockerfile's own ignore file or
     * the context's, then {@code .berth} and {@code .git} for the deploy file's folder); buildx and kaniko, which take
     * no ignore file on their command line, over a {@link StagedContext}; kaniko-job sends the staged context to
     * its Job.
     */
    private void runBuilder(DeployFile file, ImageSpec image, TaskContext context, Path root,
            BuildCommands.Build build, PushTarget push) throws BerthException, IOException, InterruptedException {
        String contextPath = image.context().path();
        String dockerfilePath = image.dockerfile().path();
        if (file.builder() == ImageBuilder.BUILDAH) {
            Path ignore = Files.createTempFile("berth-", ".dockerignore");
            try {
                Files.writeString(ignore, BuildContext.ignoreText(RepositoryFiles.of(root), contextPath,
                        dockerfilePath));
                run(file, context, withContext(build, build.context(), build.dockerfile(), Optional.of(ignore)), push);
            } finally {
                Files.deleteIfExists(ignore);
            }
            return;
        }
        try (StagedContext staged = StagedContext.of(root, contextPath, dockerfilePath)) {
            if (file.builder() == ImageBuilder.KANIKO || file.builder() == ImageBuilder.KANIKO_JOB) {
                List<String> dropped = staged.droppedByItsOwnIgnoreFile();
                if (!dropped.isEmpty()) {
                    throw new TaskFailedException("image " + image.name() + ": kaniko applies the context's "
                            + BuildContext.IGNORE_FILE + " again, which would leave out " + String.join(", ", dropped)
                            + " that " + BuildContext.ignoreFile(RepositoryFiles.of(root), contextPath, dockerfilePath)
                                    .orElse("no ignore file") + " lets in; list " + BuildContext.IGNORE_FILE
                            + " itself in that file, or use one ignore file");
                }
            }
            if (file.builder() == ImageBuilder.KANIKO_JOB) {
                buildInCluster(file, image, context, staged, build, push);
            } else {
                run(file, context, withContext(build, staged.context(), staged.dockerfile(), Optional.empty()), push);
            }
        }
    }

    /**
     * {@code builder: kaniko-job}: kaniko's command line as {@code builder: kaniko} has it, with the context and the
     * Dockerfile where the Job's claim holds them, run as a Job; the context sent is the staged one, the content
     * tag's files. The Job pushes with the push target's login (ECR's token), else docker login's for the host.
     */
    private void buildInCluster(DeployFile file, ImageSpec image, TaskContext context, StagedContext staged,
            BuildCommands.Build build, PushTarget push) throws BerthException, IOException, InterruptedException {
        Command command = BuildCommands.of(ImageBuilder.KANIKO_JOB, withContext(build, Path.of(KanikoJob.CONTEXT),
                Path.of(KanikoJob.DOCKERFILE), Optional.empty()), Map.of()).get(0);
        KanikoJobs jobs = kanikoJobs.orElseThrow();
        String host = build.target().registry();
        KanikoJob.Request request = new KanikoJob.Request(image.name(),
                context.variables().builtin(BuiltinVariables.PROJECT).orElseThrow(),
                context.variables().builtin(BuiltinVariables.ENVIRONMENT).orElseThrow(), command.arguments(),
                staged.files(),
                staged.dockerfile(), host, push.builderLogin().or(() -> jobs.credentials(host)));
        try (KanikoJob job = jobs.open(file.kanikoJob(), repositoryRoot)) {
            job.build(request, context.log(), context.taskName());
        }
    }

    /** Runs the build's commands, with the push target's login (ECR's token) in a file of its own while they run. */
    private void run(DeployFile file, TaskContext context, BuildCommands.Build build, PushTarget push)
            throws TaskFailedException, InterruptedException, IOException {
        List<Command> commands = BuildCommands.of(file.builder(), build, builderEnvironment);
        if (push.builderLogin().isEmpty()) {
            runAll(file, context, commands);
            return;
        }
        try (BuilderLogin login = BuilderLogin.write(push.host(), push.builderLogin().get())) {
            runAll(file, context, BuildCommands.withLogin(file.builder(), commands, login));
        }
    }

    private static void runAll(DeployFile file, TaskContext context, List<Command> commands)
            throws TaskFailedException, InterruptedException {
        for (Command command : commands) {
            context.run(file.builder().keyword() + " " + command.arguments().get(1), command);
        }
    }

    private static BuildCommands.Build withContext(BuildCommands.Build build, Path folder, Path dockerfile,
            Optional<Path> ignoreFile) {
        return new BuildCommands.Build(folder, dockerfile, build.args(), build.labels(), build.target(),
                build.plainHttp(), ignoreFile, build.stage(), build.platforms(), build.bases());
    }

}
