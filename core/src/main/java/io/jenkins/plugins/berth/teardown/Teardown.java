package io.jenkins.plugins.berth.teardown;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.NoSuchEnvironmentException;
import io.jenkins.plugins.berth.environments.StackRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.Who;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import io.jenkins.plugins.berth.images.ImageCleanup;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.NoDeployFileException;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.Command;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.TaskCommands;
import io.jenkins.plugins.berth.terraform.Destroyer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Tears an environment down, from what was kept at its last successful deploy and never from the
 * branch: its {@code teardown} stages (in the kept folder, with the deploy file and their scripts),
 * its blue-green colours retired, then its own stacks in reverse order (never shared ones), then the
 * images only it used, then the record is marked gone. Each step is retried with backoff; a failure leaves the record {@code failed}
 * with what remains and each step's end in its run record ({@link TeardownProgress}), and the next teardown
 * goes on from the first step not done. Teardown stages that keep failing can be skipped, for a reason the
 * record keeps ({@link SkipStages}). Running it on a gone environment does nothing.
 */
public final class Teardown {

    private final Destroyer destroyer;
    private final StateStore state;
    private final Function<String, Path> keptFolders;
    private final Function<Path, CommandRunner> runners;
    private final Optional<ImageCleanup> images;
    private final Optional<io.jenkins.plugins.berth.builds.BuildCleanup> builds;
    private final Retries retries;
    private final Log log;
    private final Clock clock;

    /**
     * @param keptFolders where an environment's kept files are
     * @param runners a command runner working in a folder
     * @param images what removes the images only the environment used (empty: leave the registry alone)
     */
    public Teardown(Destroyer destroyer, StateStore state,
            Function<String, Path> keptFolders, Function<Path, CommandRunner> runners, Optional<ImageCleanup> images,
            Retries retries, Log log, Clock clock) {
        this(destroyer, state, keptFolders, runners, images, Optional.empty(), retries, log, clock);
    }

    /** @param builds what removes the build files only the environment used (empty: leave them) */
    public Teardown(Destroyer destroyer, StateStore state,
            Function<String, Path> keptFolders, Function<Path, CommandRunner> runners, Optional<ImageCleanup> images,
            Optional<io.jenkins.plugins.berth.builds.BuildCleanup> builds, Retries retries, Log log, Clock clock) {
        this.builds = builds;
        this.destroyer = destroyer;
        this.state = state;
        this.keptFolders = keptFolders;
        this.runners = runners;
        this.images = images;
        this.retries = retries;
        this.log = log;
        this.clock = clock;
    }

    /** What a teardown did: the stacks it destroyed (none when there was nothing to do). */
    public record Outcome(String environment, List<String> destroyed) {}

    /**
     * Tears {@code environment} down: waits while a run holds it, marks it tearing down, runs the teardown
     * stages and retires its colours while the stacks still exist (their outputs published), destroys its
     * own stacks last applied first, removes its images, then marks it gone. A failure leaves the record
     * {@code failed} with the stacks still to destroy.
     */
    public Outcome down(String environment, SecretSource secrets)
            throws BerthException, IOException, InterruptedException {
        return down(environment, secrets, Optional.empty());
    }

    /**
     * As {@link #down(String, SecretSource)}; with {@code skip}, the teardown stages are not run but recorded
     * as skipped, with the reason.
     */
    public Outcome down(String environment, SecretSource secrets, Optional<SkipStages> skip)
            throws BerthException, IOException, InterruptedException {
        try (StateStore.Lock lock = state.lock(environment, "berth down by " + Who.thisProcess() + " since "
                + clock.instant(), holder -> log.info("Waiting: " + holder + " is running on environment " + environment))) {
            EnvironmentRecord record = state.read(environment).orElseThrow(() ->
                    new NoSuchEnvironmentException(environment, destroyer.stateFolder().toString()));
            List<StackRecord> own = Destroyer.ownStacks(record);
            if (record.status() == EnvironmentStatus.GONE && own.isEmpty()) {
                log.info("Environment " + environment + " is already gone: nothing to do");
                return new Outcome(environment, List.of());
            }
            record = change(environment, r -> r.withStatus(EnvironmentStatus.TEARING_DOWN, clock.instant()));
            TeardownProgress progress = TeardownProgress.start(state, record, skip, clock, Who.runBy());
            progress.resumed().ifPresent(run -> log.info("Going on with the teardown " + run.by().orElse("someone")
                    + " started at " + run.startedAt() + ": the steps it finished are not run again"));
            List<String> destroyed = new ArrayList<>();
            SecretMasker masker = destroyer.masker();
            try {
                // The deploy file kept with the environment; else the one kept with its first stack.
                Optional<DeployFile> file = keptDeployFile(environment);
                if (file.isEmpty() && !own.isEmpty()) {
                    file = Optional.of(destroyer.keptWith(own.get(0)));
                }
                if (file.isPresent()) {
                    Log masked = Log.masked(log, masker);
                    RunVariables variables = RunVariables.forRecord(file.get(), record, secrets, masker);
                    destroyer.publishOutputs(file.get(), record.stacks(), variables, masker, masked);
                    runTeardownStages(file.get(), variables, masked, progress, masker);
                    retireColors(file.get(), variables, masked, progress, masker);
                    removeSharedFolder(file.get(), variables, masked);
                    // No earlier teardown's word is taken for a stack: the record lists the stacks still to destroy.
                    for (StackRecord stack : Destroyer.destroyOrder(file.get(), own)) {
                        run(progress, TeardownProgress.Step.stack(stack.name()), masker, OnFailure.ABORT,
                                () -> retries.run("destroying stack " + stack.name(), masked,
                                        () -> destroyer.destroy(stack, variables, masker, masked)),
                                r -> r.withoutStacks(Set.of(stack.name()), clock.instant()));
                        destroyed.add(stack.name());
                    }
                    removeImages(record, masked, progress, masker);
                }
                removeBuilds(record, Log.masked(log, masker), progress, masker);
                progress.finish(StepStatus.SUCCEEDED, r -> r.withoutStacks(namesOf(r.stacks()), clock.instant())
                        .withoutBuilds(clock.instant())
                        .withStatus(EnvironmentStatus.GONE, clock.instant()));
                log.info("Environment " + environment + " is gone" + (destroyed.isEmpty() ? ""
                        : " (destroyed " + String.join(", ", destroyed) + ")"));
                return new Outcome(environment, destroyed);
            } catch (BerthException | IOException | RuntimeException e) {
                try {
                    progress.finish(StepStatus.FAILED, r -> r.withStatus(EnvironmentStatus.FAILED, clock.instant()));
                } catch (IOException | StateException | RuntimeException recording) {
                    e.addSuppressed(recording);
                }
                throw e;
            }
        }
    }

    /** Runs one step unless an earlier teardown this one goes on from finished it; records how it ended. */
    private void step(TeardownProgress progress, TeardownProgress.Step step, SecretMasker masker, OnFailure onFailure,
            Retries.Step work) throws BerthException, IOException, InterruptedException {
        Optional<StepResult> done = progress.done(step);
        if (done.isPresent()) {
            log.info(step.kind() + " " + step.name() + ": " + done.get().status().keyword()
                    + " in the earlier teardown, not run again");
            return;
        }
        run(progress, step, masker, onFailure, work, r -> r);
    }

    private void step(TeardownProgress progress, TeardownProgress.Step step, SecretMasker masker, Retries.Step work)
            throws BerthException, IOException, InterruptedException {
        step(progress, step, masker, OnFailure.ABORT, work);
    }

    /**
     * Runs one step and records how it ended; {@code onSuccess} changes the record in the same write.
     *
     * @param onFailure what a failure does: stops the teardown, or is recorded and the teardown goes on
     */
    private void run(TeardownProgress progress, TeardownProgress.Step step, SecretMasker masker, OnFailure onFailure,
            Retries.Step work, UnaryOperator<EnvironmentRecord> onSuccess)
            throws BerthException, IOException, InterruptedException {
        Instant started = clock.instant();
        try {
            work.run();
        } catch (BerthException | IOException e) {
            boolean goOn = onFailure == OnFailure.CONTINUE;
            progress.ended(step, goOn ? StepStatus.FAILED_CONTINUED : StepStatus.FAILED, started, Optional.of(e),
                    masker, r -> r);
            if (!goOn) {
                throw e;
            }
            log.error(masker.mask(String.valueOf(e.getMessage())) + " (on_failure: continue, going on)");
            return;
        }
        progress.ended(step, StepStatus.SUCCEEDED, started, Optional.empty(), masker, onSuccess);
    }

    /** Changes the stored record, keeping what other writers changed meanwhile (a pin). */
    private EnvironmentRecord change(String environment, UnaryOperator<EnvironmentRecord> change)
            throws IOException, StateException {
        return state.update(environment, stored -> change.apply(stored.orElseThrow()));
    }

    private static Set<String> namesOf(List<StackRecord> stacks) {
        Set<String> names = new HashSet<>();
        stacks.forEach(s -> names.add(s.name()));
        return names;
    }

    /** The deploy file kept with the environment itself (for an environment without stacks). */
    private Optional<DeployFile> keptDeployFile(String environment) throws BerthException, IOException {
        Path folder = keptFolders.apply(environment);
        if (!Files.isDirectory(folder)) {
            return Optional.empty();
        }
        try {
            Path file = DeployFiles.find(folder);
            return Optional.of(DeployFiles.parse(file.toString(), Files.readAllBytes(file), Optional.empty()));
        } catch (NoDeployFileException e) {
            return Optional.empty();
        }
    }

    private void runTeardownStages(DeployFile file, RunVariables variables, Log log, TeardownProgress progress,
            SecretMasker masker) throws BerthException, IOException, InterruptedException {
        if (file.teardown().isEmpty()) {
            return;
        }
        String name = variables.builtin(io.jenkins.plugins.berth.model.BuiltinVariables.ENVIRONMENT).orElseThrow();
        CommandRunner runner = runners.apply(keptFolders.apply(name));
        Optional<String> skipReason = progress.skipReason();
        skipReason.ifPresent(reason -> log.warning("Skipping the teardown stages of " + name + ": " + reason));
        for (Stage stage : file.teardown()) {
            TeardownProgress.Step step = TeardownProgress.Step.stage(stage.name());
            if (skipReason.isPresent() && progress.done(step).isEmpty()) {
                progress.ended(step, StepStatus.SKIPPED, clock.instant(), Optional.empty(), masker, r -> r);
                log.info("teardown stage " + stage.name() + ": skipped");
                continue;
            }
            TaskCommands commands = new TaskCommands(runner, log, stage.name());
            step(progress, step, masker, stage.onFailure(), () -> {
                // Only for a stage still to run: a stage an earlier teardown ran may have lost its stacks' outputs.
                Map<String, String> environment = variables.environment(Scope.Site.of(Scope.Kind.TEARDOWN), Map.of());
                Command command = stage.action() instanceof Stage.Script script
                        ? Command.scriptFile(script.file().path(), environment)
                        : Command.inlineScript(((Stage.Run) stage.action()).script(), environment);
                log.info("teardown stage " + stage.name() + ": started");
                retries.run("teardown stage " + stage.name(), log,
                        () -> commands.run("teardown stage " + stage.name(), command));
                log.info("teardown stage " + stage.name() + ": succeeded");
            });
        }
    }

    /**
     * Retires the environment's blue-green colours (the live one and one kept for rollback) with the
     * deploy block's {@code stop}, run in the kept folder; for ECS, scales both services to 0.
     */
    private void retireColors(DeployFile file, RunVariables variables, Log log, TeardownProgress progress,
            SecretMasker masker) throws BerthException, IOException, InterruptedException {
        String environment = variables.builtin(io.jenkins.plugins.berth.model.BuiltinVariables.ENVIRONMENT).orElseThrow();
        Optional<io.jenkins.plugins.berth.environments.BlueGreenRecord> colors = state.read(environment)
                .flatMap(EnvironmentRecord::blueGreen);
        Optional<Stage> stage = file.stages().stream().filter(s -> s.action() instanceof Stage.DeployAction).findFirst();
        if (colors.isEmpty() || stage.isEmpty()) {
            return;
        }
        io.jenkins.plugins.berth.model.Deploy deploy = io.jenkins.plugins.berth.bluegreen.EnvironmentPorts.known(
                ((Stage.DeployAction) stage.get().action()).deploy(), variables, colors);
        Path folder = keptFolders.apply(environment);
        CommandRunner runner = runners.apply(folder);
        io.jenkins.plugins.berth.bluegreen.Target target = io.jenkins.plugins.berth.bluegreen.BlueGreenDeployer.target(
                deploy, variables, io.jenkins.plugins.berth.bluegreen.Scripts.of(runner, log, stage.get().name()), folder);
        // stop finds the shared folder where start and the hooks did (it is removed after the colours).
        Optional<Path> shared = io.jenkins.plugins.berth.bluegreen.SharedFolder.of(deploy, variables,
                io.jenkins.plugins.berth.bluegreen.SharedFolder.root(state, folder, environment));
        java.util.List<String> running = new java.util.ArrayList<>();
        colors.get().live().ifPresent(running::add);
        colors.get().previous().ifPresent(running::add);
        for (String name : running) {
            io.jenkins.plugins.berth.bluegreen.Color color = io.jenkins.plugins.berth.bluegreen.Color.of(name);
            Map<String, String> values = new java.util.HashMap<>(Map.of(
                    io.jenkins.plugins.berth.model.BuiltinVariables.COLOR, color.keyword()));
            deploy.colors().ifPresent(c -> values.put(io.jenkins.plugins.berth.model.BuiltinVariables.PORT,
                    String.valueOf(color.port(c))));
            step(progress, TeardownProgress.Step.colour(name), masker, () -> {
                Map<String, String> environmentValues = new java.util.LinkedHashMap<>(
                        variables.knownEnvironment(Scope.Site.of(Scope.Kind.DEPLOY), values));
                shared.ifPresent(dir -> environmentValues.put(io.jenkins.plugins.berth.bluegreen.BlueGreen.SHARED_DIR,
                        dir.toString()));
                retries.run("retiring " + name, log, () -> target.retire(color, environmentValues));
                log.info("colour " + name + " retired");
            });
        }
    }

    /** Removes the build files only this environment used, once its stacks (which may use them) are destroyed. */
    private void removeBuilds(EnvironmentRecord record, Log log, TeardownProgress progress, SecretMasker masker)
            throws BerthException, IOException, InterruptedException {
        if (builds.isPresent() && !record.builds().isEmpty()) {
            step(progress, TeardownProgress.Step.builds(), masker, () -> builds.get().clean(record, log));
        }
    }

    /** Removes the folder both colours shared ({@code shared_dir}), once neither runs. */
    private void removeSharedFolder(DeployFile file, RunVariables variables, Log log)
            throws BerthException, IOException, InterruptedException {
        Optional<Stage> stage = file.stages().stream().filter(s -> s.action() instanceof Stage.DeployAction).findFirst();
        if (stage.isEmpty()) {
            return;
        }
        String environment = variables.builtin(io.jenkins.plugins.berth.model.BuiltinVariables.ENVIRONMENT).orElseThrow();
        Path root = io.jenkins.plugins.berth.bluegreen.SharedFolder.root(state, keptFolders.apply(environment), environment);
        // A relative shared_dir lives in the environment's own folder of the state, which goes with it.
        Optional<Path> shared = io.jenkins.plugins.berth.bluegreen.SharedFolder.of(
                ((Stage.DeployAction) stage.get().action()).deploy(), variables, root)
                .map(dir -> dir.startsWith(root) ? root : dir);
        if (shared.isPresent() && java.nio.file.Files.exists(shared.get())) {
            retries.run("removing the shared folder " + shared.get(), log,
                    () -> io.jenkins.plugins.berth.bluegreen.SharedFolder.remove(shared.get()));
            log.info("shared folder " + shared.get() + " removed");
        }
    }

    /** Removes the images only this environment used, once its stacks are destroyed. */
    private void removeImages(EnvironmentRecord record, Log log, TeardownProgress progress, SecretMasker masker)
            throws BerthException, IOException, InterruptedException {
        if (images.isPresent()) {
            step(progress, TeardownProgress.Step.images(), masker, () -> {
                try {
                    retries.run("removing the images of " + record.name(), log, () -> images.get().clean(record, log));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new BerthException("interrupted while removing the images of " + record.name(), e);
                }
            });
        }
    }
}
