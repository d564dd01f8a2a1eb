package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.environments.StackRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.Problem;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import io.jenkins.plugins.berth.plan.EnvironmentNames;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a deploy file: init stages, images, infrastructure, then stages. Stages are built in; images
 * and infrastructure are {@link Phase}s and blue-green deploys a {@link Deployer}, plugged in by the
 * parts of Berth that provide them. A file that uses something not plugged in is refused before
 * anything runs ({@link #checkSupported}).
 *
 * <p>Failure semantics: a failed task with {@code on_failure: abort} (the default, and always for
 * stacks and images) stops the run: later tasks are skipped, except those marked {@code always}. A
 * failure with {@code continue} is recorded and the run goes on. The run succeeds when no aborting
 * failure happened.
 */
public final class Engine {

    /** How long the state record may lag behind the steps of a running deploy. */
    static final Duration SAVE_DELAY = Duration.ofMillis(200);

    private final CommandRunner commands;
    private final StateStore state;
    private final Log log;
    private final Clock clock;
    private final Map<Feature, Phase> phases;
    private final Optional<Deployer> deployer;
    private final Set<Feature> elsewhere;

    private Engine(Builder builder, CommandRunner commands, StateStore state, Log log) {
        this.commands = java.util.Objects.requireNonNull(commands);
        this.state = java.util.Objects.requireNonNull(state);
        this.log = java.util.Objects.requireNonNull(log);
        this.clock = builder.clock;
        this.phases = Map.copyOf(builder.phases);
        this.deployer = builder.deployer;
        this.elsewhere = Set.copyOf(builder.elsewhere);
    }

    /** An engine without plug-ins yet: it runs stages only. */
    public static Builder builder() {
        return new Builder();
    }

    /** What this engine can run beyond plain stages. */
    public Set<Feature> features() {
        return features(phases.keySet(), deployer, elsewhere);
    }

    private static Set<Feature> features(Set<Feature> phases, Optional<Deployer> deployer, Set<Feature> elsewhere) {
        Set<Feature> features = EnumSet.noneOf(Feature.class);
        features.addAll(phases);
        features.addAll(elsewhere);
        deployer.ifPresent(d -> features.addAll(d.features()));
        return features;
    }

    /** Refuses a file that uses a feature this engine lacks, with every place it does. */
    public void checkSupported(DeployFile file) throws DeployFileException {
        List<Problem> problems = Feature.unsupported(file, features());
        if (!problems.isEmpty()) {
            throw new DeployFileException(problems);
        }
    }

    /**
     * Deploys {@code file} for a branch: checks that every feature and secret is there, then runs the
     * phases, recording the environment in the state store after each step.
     *
     * @throws DeployFileException when the file uses a feature this engine lacks (nothing has run)
     * @throws MissingSecretsException when a secret is missing (nothing has run)
     * @throws EnvironmentBusyException when another run holds the environment (nothing has run)
     */
    public RunResult up(DeployFile file, RepositoryFiles repository, UpRequest request)
            throws BerthException, IOException, InterruptedException {
        checkSupported(file);
        if (request.mode() instanceof UpRequest.Step step) {
            checkStep(file, step);
        }
        Map<String, String> secrets = RunVariables.secretValues(file, request.secrets());
        SecretMasker masker = SecretMasker.of(secrets.values());
        Log masked = Log.masked(log, masker);

        BranchEnvironments.Target target = BranchEnvironments.of(file, request.defaultProject(), request.branch());
        String project = target.project();
        UpRequest.Mode mode = request.mode();
        String environment = mode instanceof UpRequest.Release release
                ? EnvironmentNames.releaseEnvironment(project, release.stage())
                : target.environment();
        Map<String, String> builtins = RunVariables.startFacts(file, project, environment, request.branch(),
                request.commit());
        if (mode instanceof UpRequest.Release release) {
            builtins.put(BuiltinVariables.STAGE, release.stage());
            builtins.put(BuiltinVariables.PREVIOUS_STAGE, release.previous());
        }
        RunVariables variables = new RunVariables(file, builtins, secrets);
        Map<String, String> presetImages = mode instanceof UpRequest.Redeploy redeploy ? redeploy.images()
                : mode instanceof UpRequest.Release release ? release.images() : Map.of();
        presetImages.forEach((image, pinned) -> variables.publish(BuiltinVariables.imageVariable(image), pinned));

        List<Phase> plugged = List.of(Feature.IMAGES, Feature.INFRASTRUCTURE).stream()
                .map(phases::get).filter(java.util.Objects::nonNull).toList();
        try (StateStore.Lock lock = lock(environment, request)) {
            for (Phase phase : plugged) {
                phase.check(file, variables);
            }
            Run run = new Run(file, environment, project, request, masker, masked, variables, repository);
            masked.info((mode instanceof UpRequest.Up ? "Deploying " : mode instanceof UpRequest.Redeploy
                    ? "Redeploying (no build, no apply) " : mode instanceof UpRequest.Step step
                    ? "Step " + step.phase() + ":" + step.name() + " of deploying "
                    : "Releasing to " + ((UpRequest.Release) mode).stage() + ": ")
                    + project + " branch " + request.branch()
                    + request.commit().map(c -> " at " + c).orElse("") + " to environment " + environment);
            run.start();
            try {
                if (mode instanceof UpRequest.Step step) {
                    run.step(step, plugged);
                    return finishRun(run, file, repository, request, environment, masked);
                }
                boolean full = mode instanceof UpRequest.Up;
                if (full) {
                    run.phase("init_stages", StageTasks.of(file.initStages(), Scope.Kind.INIT, Optional.empty()));
                }
                for (Phase phase : plugged) {
                    if (full || (phase.feature() == Feature.INFRASTRUCTURE && mode instanceof UpRequest.Release)) {
                        run.phase(phase.name(), phase.tasks(file, variables));
                    } else if (phase.feature() == Feature.INFRASTRUCTURE) {
                        run.phase(phase.name(), phase.readOnlyTasks(file, variables));
                    }
                }
                run.phase("stages", StageTasks.of(file.stages(), Scope.Kind.STAGES, deployer));
            } catch (BerthException | IOException | InterruptedException | RuntimeException e) {
                run.finish();
                throw e;
            }
            return finishRun(run, file, repository, request, environment, masked);
        } finally {
            plugged.forEach(Phase::finish);
        }
    }

    /** Refuses a step the file does not have, before anything is written. */
    private static void checkStep(DeployFile file, UpRequest.Step step) throws BerthException {
        List<String> names = switch (step.phase()) {
            case "init_stages" -> file.initStages().stream().map(io.jenkins.plugins.berth.model.Stage::name).toList();
            case "stages" -> file.stages().stream().map(io.jenkins.plugins.berth.model.Stage::name).toList();
            case "images" -> List.copyOf(file.images().keySet());
            default -> file.infrastructure().stream().map(io.jenkins.plugins.berth.model.Stack::name).toList();
        };
        if (!names.contains(step.name())) {
            throw new BerthException("the deploy file has no " + step.phase() + " step '" + step.name() + "'; it has: "
                    + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
    }

    /** The environment's lock, held for the run; a step runs under the lock of whoever walks the deploy. */
    private StateStore.Lock lock(String environment, UpRequest request) throws IOException, EnvironmentBusyException {
        if (request.mode() instanceof UpRequest.Step) {
            return () -> {};
        }
        String holder = "berth " + request.mode().command() + " of branch " + request.branch() + " by " + request.who()
                + " since " + clock.instant();
        StateStore.Attempt attempt = state.tryLock(environment, holder);
        if (attempt instanceof StateStore.Busy busy) {
            throw new EnvironmentBusyException(environment, busy.holder());
        }
        return ((StateStore.Acquired) attempt).lock();
    }

    private RunResult finishRun(Run run, DeployFile file, RepositoryFiles repository, UpRequest request,
            String environment, Log masked) throws IOException {
        run.finish();
        RunResult result = run.result();
        if (result.succeeded()) {
            keepForTeardown(file, repository, request, environment, masked);
        }
        Summary.lines(result).forEach(masked::info);
        return result;
    }

    /**
     * Keeps the deploy file and its teardown scripts with the environment, so that a teardown never
     * needs the branch. A file that cannot be read is reported and skipped: the deploy itself succeeded.
     */
    private void keepForTeardown(DeployFile file, RepositoryFiles repository, UpRequest request, String environment,
            Log log) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        paths.add(request.deployFile());
        for (io.jenkins.plugins.berth.model.Stage stage : file.teardown()) {
            if (stage.action() instanceof io.jenkins.plugins.berth.model.Stage.Script script) {
                paths.add(script.file().path());
            }
        }
        // The files a deploy's stop command names (./ops/stop.sh): a teardown retires the colours with it.
        for (io.jenkins.plugins.berth.model.Stage stage : file.stages()) {
            if (stage.action() instanceof io.jenkins.plugins.berth.model.Stage.DeployAction deploy) {
                deploy.deploy().stop().ifPresent(stop -> {
                    for (String word : stop.split("[\\s;&|()<>\"']+")) {
                        String path = word.startsWith("./") ? word.substring(2) : word;
                        if (!path.isEmpty() && !path.startsWith("/") && !path.startsWith("$")
                                && repository.isFile(path) && !paths.contains(path)) {
                            paths.add(path);
                        }
                    }
                });
            }
        }
        for (String path : paths) {
            try {
                files.put(path, repository.read(path).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException e) {
                log.warning("cannot keep " + path + " for the teardown of " + environment + ": " + e.getMessage());
            }
        }
        state.keep(environment, files);
    }

    /** One run in progress: its steps so far and the record it keeps up to date. */
    private final class Run {
        private final DeployFile file;
        private final String environment;
        private final UpRequest request;
        private final SecretMasker masker;
        private final Log log;
        private final RunVariables variables;
        private final RepositoryFiles repository;
        private final Instant startedAt;
        private final List<StepResult> steps = new ArrayList<>();
        private final List<StackRecord> stacks = new ArrayList<>();
        private final ScheduledThreadPoolExecutor saver = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "berth-state-saver");
            thread.setDaemon(true);
            return thread;
        });
        private boolean saveScheduled;
        private EnvironmentRecord record;
        private EnvironmentStatus status = EnvironmentStatus.CREATING;
        private final String project;
        private volatile boolean aborted;

        Run(DeployFile file, String environment, String project, UpRequest request, SecretMasker masker, Log log,
                RunVariables variables, RepositoryFiles repository) {
            this.file = file;
            this.environment = environment;
            this.project = project;
            this.request = request;
            this.masker = masker;
            this.log = log;
            this.variables = variables;
            this.repository = repository;
            this.startedAt = clock.instant();
            // On finish, a pending save is dropped (the final save follows) and a running one completes.
            saver.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }

        /**
         * Writes the start of the deploy: a new record, or the existing one (a redeploy, or one that was
         * torn down) with the new commit, deploy time and expiry; its protection is kept.
         */
        void start() throws IOException, StateException {
            Instant now = startedAt;
            record = state.update(environment, stored -> {
                boolean release = request.mode() instanceof UpRequest.Release;
                EnvironmentRecord base = stored.orElseGet(() -> EnvironmentRecord.create(environment, project,
                        request.branch(), release ? EnvironmentKind.RELEASE_STAGE : EnvironmentKind.ofBranch(request.branch()),
                        release || file.environment().isProtected(), now));
                status = stored.isPresent() && !stored.get().isGone() ? EnvironmentStatus.DEPLOYING
                        : EnvironmentStatus.CREATING;
                return base.withDeploy(request.commit(), file.environment().ttl().or(request::defaultTtl), now).withStatus(status, now)
                        .withProtected(base.isProtected() || file.environment().isProtected(), now);
            });
        }

        void phase(String name, List<List<Task>> groups) throws IOException, InterruptedException {
            if (groups.isEmpty()) {
                return;
            }
            log.info("Phase " + name);
            for (List<Task> group : groups) {
                if (group.size() == 1 || request.parallel() == 1) {
                    for (Task task : group) {
                        record(execute(name, task));
                    }
                } else {
                    runConcurrently(name, group);
                }
            }
        }

        /**
         * One step of a deploy: it goes on from what earlier steps recorded (images, outputs, the URL); the
         * outputs the record lacks (sensitive ones) are read from their stacks; then the task runs.
         */
        void step(UpRequest.Step step, List<Phase> plugged) throws BerthException, IOException, InterruptedException {
            record.images().forEach((image, pinned) -> variables.publish(BuiltinVariables.imageVariable(image), pinned));
            record.outputs().forEach(variables::publish);
            record.url().ifPresent(url -> variables.setBuiltin(BuiltinVariables.ENV_URL, url));
            Optional<Phase> infrastructure = plugged.stream().filter(p -> p.feature() == Feature.INFRASTRUCTURE)
                    .findFirst();
            if (infrastructure.isPresent()) {
                java.util.Set<String> applied = new java.util.HashSet<>();
                record.stacks().forEach(s -> applied.add(s.name()));
                Map<String, String> published = variables.published();
                java.util.Set<String> lacking = new java.util.HashSet<>();
                file.infrastructure().forEach(stack -> {
                    boolean isTarget = step.phase().equals("infrastructure") && step.name().equals(stack.name());
                    if (!isTarget && applied.contains(stack.name()) && stack.outputs().stream()
                            .anyMatch(o -> !published.containsKey(o.variable()))) {
                        lacking.add(stack.name());
                    }
                });
                List<Task> reads = infrastructure.get().readOnlyTasks(file, variables).stream()
                        .flatMap(List::stream).filter(t -> lacking.contains(t.name())).toList();
                if (!reads.isEmpty()) {
                    phase("infrastructure (outputs)", List.of(reads));
                }
            }
            List<List<Task>> groups = switch (step.phase()) {
                case "init_stages" -> StageTasks.of(file.initStages(), Scope.Kind.INIT, Optional.empty());
                case "stages" -> StageTasks.of(file.stages(), Scope.Kind.STAGES, deployer);
                default -> {
                    Feature feature = step.phase().equals("images") ? Feature.IMAGES : Feature.INFRASTRUCTURE;
                    Phase phase = plugged.stream().filter(p -> p.feature() == feature).findFirst()
                            .orElseThrow(() -> new BerthException("this Berth cannot run " + step.phase()));
                    yield phase.tasks(file, variables);
                }
            };
            List<Task> all = groups.stream().flatMap(List::stream).toList();
            Task task = all.stream().filter(t -> t.name().equals(step.name())).findFirst()
                    .orElseThrow(() -> new IllegalStateException("checkStep let an unknown step through"));
            phase(step.phase(), List.of(List.of(task)));
        }

        private void runConcurrently(String phase, List<Task> group) throws IOException, InterruptedException {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(request.parallel(), group.size()));
            try {
                List<Future<StepResult>> futures = new ArrayList<>();
                for (Task task : group) {
                    futures.add(pool.submit(() -> execute(phase, task)));
                }
                for (Future<StepResult> future : futures) {
                    try {
                        record(future.get());
                    } catch (ExecutionException e) {
                        throw new IllegalStateException("a task escaped the engine's error handling", e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }

        private StepResult execute(String phase, Task task) throws InterruptedException {
            if (aborted && !task.always()) {
                log.info(task.kind() + " " + task.name() + ": skipped, an earlier failure stopped the run");
                return new StepResult(phase, task.name(), task.kind(), StepStatus.SKIPPED, Optional.empty(), 0,
                        Optional.empty(), Optional.empty());
            }
            log.info(task.kind() + " " + task.name() + ": started");
            Instant started = clock.instant();
            long start = System.nanoTime();
            String error = null;
            Optional<Integer> exitCode = Optional.empty();
            try {
                task.work().run(new TaskContext(task.name(), repository, variables, log, commands, masker,
                        this::useStack));
            } catch (TaskFailedException e) {
                error = e.getMessage();
                exitCode = e.exitCode();
            } catch (BerthException | IOException e) {
                error = e.getMessage();
            } catch (RuntimeException e) {
                error = "unexpected error: " + e;
            } catch (InterruptedException e) {
                aborted = true;
                throw e;
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            StepStatus status = StepStatus.SUCCEEDED;
            if (error != null) {
                error = masker.mask(error);
                boolean goOn = task.onFailure() == OnFailure.CONTINUE;
                status = goOn ? StepStatus.FAILED_CONTINUED : StepStatus.FAILED;
                log.error(task.kind() + " " + task.name() + ": failed after " + Summary.duration(millis) + ": " + error
                        + (goOn ? " (on_failure: continue, going on)" : ""));
                if (!goOn) {
                    aborted = true;
                }
            } else {
                log.info(task.kind() + " " + task.name() + ": succeeded in " + Summary.duration(millis));
            }
            return new StepResult(phase, task.name(), task.kind(), status, Optional.of(started), millis, exitCode,
                    Optional.ofNullable(error));
        }

        private synchronized void useStack(StackRecord stack) {
            stacks.removeIf(s -> s.name().equals(stack.name()));
            stacks.add(stack);
        }

        /**
         * Adds a finished step. The record on disk catches up within {@link #SAVE_DELAY}: writing it
         * after every step would cost more than a short stage itself.
         */
        private synchronized void record(StepResult step) {
            steps.add(step);
            if (!saveScheduled) {
                saveScheduled = true;
                saver.schedule(this::saveInBackground, SAVE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void saveInBackground() {
            saveScheduled = false;
            try {
                save(Optional.empty());
            } catch (IOException e) {
                log.warning("cannot save the state of environment " + environment + " (will retry): " + e.getMessage());
            }
        }

        /** Writes the record as it is now; callers hold this run's monitor, so writes never go back in time. */
        private synchronized void save(Optional<StepStatus> result) throws IOException {
            Instant now = clock.instant();
            RunRecord runRecord = new RunRecord(request.mode().command(), startedAt, result.map(r -> now), result, steps,
                    Optional.of(request.who()));
            Map<String, String> images = new java.util.TreeMap<>();
            Map<String, String> published = variables.published();
            file.images().keySet().forEach(image -> Optional.ofNullable(published.get(
                    BuiltinVariables.imageVariable(image))).ifPresent(pinned -> images.put(image, pinned)));
            Optional<String> url = url();
            Map<String, String> outputs = recordableOutputs(published);
            try {
                // Applied to what is stored, so a concurrent change (a pin) is kept.
                record = state.update(environment, stored -> {
                    EnvironmentRecord base = stored.orElse(record);
                    Map<String, String> allOutputs = new java.util.TreeMap<>(base.outputs());
                    allOutputs.putAll(outputs);
                    EnvironmentRecord next = base.withRun(runRecord, url, now).withStacks(stacks, now)
                            .withStatus(status, now).withOutputs(allOutputs, now);
                    return images.isEmpty() ? next : next.withImages(images, now);
                });
            } catch (StateException e) {
                throw new IOException(e.getMessage(), e);
            }
        }

        /** The stacks' outputs published so far, but not those holding a secret (sensitive ones). */
        private Map<String, String> recordableOutputs(Map<String, String> published) {
            Map<String, String> outputs = new java.util.TreeMap<>();
            for (io.jenkins.plugins.berth.model.Stack stack : file.infrastructure()) {
                for (io.jenkins.plugins.berth.model.Stack.Output output : stack.outputs()) {
                    String value = published.get(output.variable());
                    if (value != null && !masker.containsSecret(value)) {
                        outputs.put(output.variable(), value);
                    }
                }
            }
            return outputs;
        }

        void finish() throws IOException {
            saver.shutdown();
            synchronized (this) {
                boolean failed = aborted || steps.stream().anyMatch(s -> s.status() == StepStatus.FAILED);
                status = failed ? EnvironmentStatus.FAILED : EnvironmentStatus.READY;
                save(Optional.of(failed ? StepStatus.FAILED : StepStatus.SUCCEEDED));
            }
        }

        private Optional<String> url() {
            return variables.builtin(BuiltinVariables.ENV_URL).filter(u -> !u.isEmpty()).or(record::url);
        }

        RunResult result() {
            return new RunResult(environment, status, steps, url());
        }
    }

    /** Collects the plug-ins of an engine; {@link #build} adds the ports of the place it runs in. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private final Map<Feature, Phase> phases = new LinkedHashMap<>();
        private Optional<Deployer> deployer = Optional.empty();
        private final Set<Feature> elsewhere = EnumSet.noneOf(Feature.class);

        private Builder() {}

        /**
         * Declares a feature that another command runs ({@code release}: {@code berth promote}), so
         * that {@code up} accepts a file using it: {@code up} has nothing to run for it.
         */
        public Builder runsElsewhere(Feature feature) {
            elsewhere.add(feature);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Plugs in the images or infrastructure phase. */
        public Builder phase(Phase phase) {
            if (phase.feature() != Feature.IMAGES && phase.feature() != Feature.INFRASTRUCTURE) {
                throw new IllegalArgumentException("up runs only the images and infrastructure phases, not "
                        + phase.feature());
            }
            phases.put(phase.feature(), phase);
            return this;
        }

        /** Plugs in blue-green deploys. */
        public Builder deployer(Deployer deployer) {
            this.deployer = Optional.of(deployer);
            return this;
        }

        /** What an engine built from here can run beyond plain stages. */
        public Set<Feature> features() {
            return Engine.features(phases.keySet(), deployer, elsewhere);
        }

        public Engine build(CommandRunner commands, StateStore state, Log log) {
            return new Engine(this, commands, state, log);
        }
    }
}
