package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.PhaseName;
import io.jenkins.plugins.berth.model.Problem;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.Deployer;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.MissingSecretsException;
import io.jenkins.plugins.berth.run.Phase;
import io.jenkins.plugins.berth.run.RunFacts;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.StopRequest;
import io.jenkins.plugins.berth.run.Task;
import io.jenkins.plugins.berth.run.TaskFailedException;
import io.jenkins.plugins.berth.teardown.KeptFiles;
import java.io.IOException;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a deploy file: init stages, images, builds, infrastructure, then stages. Stages are built in; images
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

    private final CommandRunner commands;
    private final StateStore state;
    private final Log log;
    private final Clock clock;
    private final Map<Feature, Phase> phases;
    private final Optional<Deployer> deployer;
    private final Set<Feature> elsewhere;
    private final StopRequest stops;

    private Engine(Builder builder, CommandRunner commands, StateStore state, Log log) {
        this.commands = java.util.Objects.requireNonNull(commands);
        this.state = java.util.Objects.requireNonNull(state);
        this.log = java.util.Objects.requireNonNull(log);
        this.clock = builder.clock;
        this.phases = Map.copyOf(builder.phases);
        this.deployer = builder.deployer;
        this.elsewhere = Set.copyOf(builder.elsewhere);
        this.stops = builder.stops;
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
        UpRequest.Mode mode = request.mode();
        if (mode instanceof UpRequest.Step step) {
            checkStep(file, step);
        }
        Map<String, String> secrets = RunVariables.secretValues(file, request.secrets());
        // The runner's own secrets (the state password) are masked whatever the deploy file names.
        SecretMasker masker = SecretMasker.of(commands.environmentSecrets());
        secrets.values().forEach(masker::add);
        Log masked = Log.masked(log, masker);

        BranchEnvironments.Target target = BranchEnvironments.of(file, request.defaultProject(), request.branch());
        String project = target.project();
        String environment = mode.environment(target);
        RunFacts facts = mode.facts(new RunFacts(project, environment, request.branch(), request.commit()));
        RunVariables variables = new RunVariables(file, facts, secrets);
        mode.presetImages().forEach((image, pinned) -> variables.publish(BuiltinVariables.imageVariable(image), pinned));

        List<Phase> plugged = List.of(Feature.IMAGES, Feature.BUILDS, Feature.INFRASTRUCTURE).stream()
                .map(phases::get).filter(java.util.Objects::nonNull).toList();
        try (StateStore.Lock lock = lock(environment, request); StopRequest.Watch watch = stops.watch()) {
            for (Phase phase : plugged) {
                phase.check(file, variables);
            }
            RunRecorder recorder = new RunRecorder(state, clock, masked, file, environment, project, request, variables,
                    masker);
            TaskWalk walk = new TaskWalk(commands, clock, masked, repository, variables, masker, request.parallel(),
                    recorder, stops);
            masked.info(mode.headline() + project + " branch " + request.branch()
                    + request.commit().map(c -> " at " + c).orElse("") + " to environment " + environment);
            recorder.start();
            try {
                if (mode instanceof UpRequest.Step step) {
                    step(file, step, plugged, variables, recorder, walk);
                } else {
                    walkAll(file, mode, plugged, variables, walk);
                }
            } catch (BerthException | RuntimeException e) {
                recorder.finish(walk.aborted(), walk.interrupted());
                throw e;
            } catch (InterruptedException e) {
                recorder.finish(true, true);
                throw e;
            }
            recorder.finish(walk.aborted(), walk.interrupted());
            RunResult result = recorder.result();
            if (result.succeeded()) {
                KeptFiles.keep(state, environment, file, request.deployFile(), repository, masked);
            }
            Summary.lines(result).forEach(masked::info);
            return result;
        } finally {
            plugged.forEach(Phase::finish);
            if (TaskWalk.interruptedByAThread(stops)) {
                // Whoever interrupted this thread asked it to stop: the run stopped (the lock is released, the
                // record written), and the thread tells them so.
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The whole deploy, each phase as the mode uses it: init stages, images, infrastructure, then stages. */
    private void walkAll(DeployFile file, UpRequest.Mode mode, List<Phase> plugged, RunVariables variables,
            TaskWalk walk) throws BerthException, InterruptedException {
        if (mode.runsInitStages()) {
            walk.phase(PhaseName.INIT_STAGES.key(), stageTasks(file, PhaseName.INIT_STAGES));
        }
        for (Phase phase : plugged) {
            switch (mode.use(phase.name())) {
                case RUN -> walk.phase(phase.name().key(), phase.tasks(file, variables));
                case READ -> walk.phase(phase.name().key(), phase.readOnlyTasks(file, variables));
                case SKIP -> { }
            }
        }
        walk.phase(PhaseName.STAGES.key(), stageTasks(file, PhaseName.STAGES));
    }

    /** The tasks of the init stages or the stages. */
    private List<List<Task>> stageTasks(DeployFile file, PhaseName phase) {
        return phase == PhaseName.INIT_STAGES
                ? StageTasks.of(file.initStages(), Scope.Kind.INIT, Optional.empty())
                : StageTasks.of(file.stages(), Scope.Kind.STAGES, deployer);
    }

    /** The names of the tasks of a phase {@code berth up --step} can run one of. */
    private static List<String> taskNames(DeployFile file, PhaseName phase) {
        return switch (phase) {
            case INIT_STAGES -> file.initStages().stream().map(io.jenkins.plugins.berth.model.Stage::name).toList();
            case STAGES -> file.stages().stream().map(io.jenkins.plugins.berth.model.Stage::name).toList();
            case IMAGES -> List.copyOf(file.images().keySet());
            case BUILDS -> io.jenkins.plugins.berth.builds.BuildsPhase.stepNames(file);
            case INFRASTRUCTURE -> file.infrastructure().stream().map(io.jenkins.plugins.berth.model.Stack::name).toList();
            case RELEASE, TEARDOWN -> throw new IllegalArgumentException(phase.key() + " is not a step of a deploy");
        };
    }

    /** Refuses a step the file does not have, before anything is written. */
    private static void checkStep(DeployFile file, UpRequest.Step step) throws BerthException {
        List<String> names = taskNames(file, step.phase());
        if (!names.contains(step.name())) {
            throw new BerthException("the deploy file has no " + step.phase().key() + " step '" + step.name()
                    + "'; it has: " + (names.isEmpty() ? "none" : String.join(", ", names)));
        }
    }

    /**
     * One step of a deploy: it goes on from what earlier steps recorded (images, outputs, the URL); the
     * outputs the record lacks (sensitive ones) are read from their stacks; then the task runs.
     */
    private void step(DeployFile file, UpRequest.Step step, List<Phase> plugged, RunVariables variables,
            RunRecorder recorder, TaskWalk walk) throws BerthException, InterruptedException {
        EnvironmentRecord record = recorder.record();
        record.images().forEach((image, pinned) -> variables.publish(BuiltinVariables.imageVariable(image), pinned));
        record.outputs().forEach(variables::publish);
        publishRecordedBuilds(file, record, variables);
        record.url().ifPresent(url -> variables.setBuiltin(BuiltinVariables.ENV_URL, url));
        Optional<Phase> infrastructure = plugged.stream().filter(p -> p.feature() == Feature.INFRASTRUCTURE)
                .findFirst();
        if (infrastructure.isPresent()) {
            Set<String> applied = new HashSet<>();
            record.stacks().forEach(s -> applied.add(s.name()));
            Map<String, String> published = variables.published();
            Set<String> lacking = new HashSet<>();
            file.infrastructure().forEach(stack -> {
                boolean isTarget = step.phase() == PhaseName.INFRASTRUCTURE && step.name().equals(stack.name());
                if (!isTarget && applied.contains(stack.name()) && stack.outputs().stream()
                        .anyMatch(o -> !published.containsKey(o.variable()))) {
                    lacking.add(stack.name());
                }
            });
            List<Task> reads = infrastructure.get().readOnlyTasks(file, variables).stream()
                    .flatMap(List::stream).filter(t -> lacking.contains(t.name())).toList();
            if (!reads.isEmpty()) {
                walk.phase("infrastructure (outputs)", List.of(reads));
            }
        }
        List<List<Task>> groups = switch (step.phase()) {
            case INIT_STAGES, STAGES -> stageTasks(file, step.phase());
            default -> plugged.stream().filter(p -> p.name() == step.phase()).findFirst()
                    .orElseThrow(() -> new BerthException("this Berth cannot run " + step.phase().key()))
                    .tasks(file, variables);
        };
        Task task = groups.stream().flatMap(List::stream).filter(t -> t.name().equals(step.name())).findFirst()
                .orElseThrow(() -> new IllegalStateException("checkStep let an unknown step through"));
        if (step.built().isPresent()) {
            task = builtElsewhere(file, task, step.built().get());
        } else if (step.report().isPresent()) {
            task = reported(task, step.report().get());
        }
        // Within a walk the record says whether an earlier step's failure stopped it: then only always steps run.
        Optional<String> walkId = step.walk();
        if (walkId.isPresent() && record.walkStopped(walkId.get())) {
            walk.alreadyAborted();
        }
        walk.phase(step.phase().key(), List.of(List.of(task)));
        walkId.ifPresent(id -> recorder.walk(new EnvironmentRecord.Walk(id, walk.aborted())));
    }

    /**
     * The outputs of the builds the record has artifacts of, for a step after them: the record keeps them among its
     * outputs too, but not a sensitive one, which the artifacts still give.
     */
    private static void publishRecordedBuilds(DeployFile file, EnvironmentRecord record, RunVariables variables) {
        for (io.jenkins.plugins.berth.environments.BuildRecord build : record.builds()) {
            if (build.succeeded()) {
                io.jenkins.plugins.berth.builds.BuildOutputs.of(file, build).forEach(variables::publish);
            }
        }
    }

    /** A task the walker ran itself (a stage in a container image): recording its outcome is all that is left. */
    private static Task reported(Task task, UpRequest.Report outcome) {
        return new Task(task.name(), task.kind(), task.onFailure(), task.always(), task.timeout(), context -> {
            if (outcome == UpRequest.Report.FAILED) {
                throw new TaskFailedException("failed in the Pipeline, which ran it in its container image");
            }
        });
    }

    /**
     * A build another agent ran ({@code berth up --step} there, with a state folder of its own): its record is
     * kept here, its outputs published, and a build that did not succeed fails the step.
     */
    private static Task builtElsewhere(DeployFile file, Task task, io.jenkins.plugins.berth.environments.BuildRecord built) {
        return new Task(task.name(), task.kind(), task.onFailure(), task.always(), task.timeout(), context -> {
            context.useBuild(built);
            if (!built.succeeded()) {
                throw new TaskFailedException("failed on its agent (" + built.status() + ")");
            }
            io.jenkins.plugins.berth.builds.BuildOutputs.of(file, built).forEach(context.variables()::publish);
            context.log().info("build " + task.name() + ": version " + built.version() + " built on its agent");
        });
    }

    /** The environment's lock, held for the run; a step runs under the lock of whoever walks the deploy. */
    private StateStore.Lock lock(String environment, UpRequest request) throws IOException, EnvironmentBusyException {
        if (!request.mode().locks()) {
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

    /** Collects the plug-ins of an engine; {@link #build} adds the ports of the place it runs in. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private final Map<Feature, Phase> phases = new LinkedHashMap<>();
        private Optional<Deployer> deployer = Optional.empty();
        private final Set<Feature> elsewhere = EnumSet.noneOf(Feature.class);
        private StopRequest stops = new StopRequest();

        private Builder() {}

        /**
         * What stops a run before its end (the command line's Ctrl-C and SIGTERM): the running tasks are
         * interrupted, the {@code always} ones still run, and the record says {@code interrupted}.
         */
        public Builder stopOn(StopRequest request) {
            this.stops = java.util.Objects.requireNonNull(request);
            return this;
        }

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

        /** Plugs in the images, builds or infrastructure phase. */
        public Builder phase(Phase phase) {
            if (phase.feature() != Feature.IMAGES && phase.feature() != Feature.BUILDS
                    && phase.feature() != Feature.INFRASTRUCTURE) {
                throw new IllegalArgumentException("up runs only the images, builds and infrastructure phases, not "
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
