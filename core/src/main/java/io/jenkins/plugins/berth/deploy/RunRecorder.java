package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.environments.BuildRecord;
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
import io.jenkins.plugins.berth.model.Stack;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the environment's record up to date while one run goes: its start, each finished step, the stacks
 * it uses, the images, outputs and URL it published, and its end. Every write is applied to what is stored,
 * so a concurrent change (a pin) is kept.
 */
final class RunRecorder {

    /** How long the state record may lag behind the steps of a running deploy. */
    static final Duration SAVE_DELAY = Duration.ofMillis(200);

    private final StateStore state;
    private final Clock clock;
    private final Log log;
    private final DeployFile file;
    private final String environment;
    private final String project;
    private final UpRequest request;
    private final RunVariables variables;
    private final SecretMasker masker;
    private final Instant startedAt;
    private final List<StepResult> steps = new ArrayList<>();
    private final List<StackRecord> stacks = new ArrayList<>();
    private final List<BuildRecord> builds = new ArrayList<>();
    private final ScheduledThreadPoolExecutor saver = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "berth-state-saver");
        thread.setDaemon(true);
        return thread;
    });
    private boolean saveScheduled;
    private EnvironmentRecord record;
    private EnvironmentStatus status = EnvironmentStatus.CREATING;
    private Optional<EnvironmentRecord.Walk> walk = Optional.empty();

    RunRecorder(StateStore state, Clock clock, Log log, DeployFile file, String environment, String project,
            UpRequest request, RunVariables variables, SecretMasker masker) {
        this.state = state;
        this.clock = clock;
        this.log = log;
        this.file = file;
        this.environment = environment;
        this.project = project;
        this.request = request;
        this.variables = variables;
        this.masker = masker;
        this.startedAt = clock.instant();
        // On finish, a pending save is dropped (the final save follows) and a running one completes.
        saver.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Writes the start of the deploy: a new record, or the existing one (a redeploy, or one that was torn
     * down) with the new commit and deploy time; its protection is kept. The expiry is set here only for a
     * first deploy; later ones renew it when they succeed.
     */
    void start() throws IOException, StateException {
        Instant now = startedAt;
        UpRequest.Mode mode = request.mode();
        record = state.update(environment, stored -> {
            EnvironmentRecord base = stored.orElseGet(() -> EnvironmentRecord.create(environment, project,
                    request.branch(), mode.kind(request.branch()),
                    mode.alwaysProtected() || file.environment().isProtected(), now));
            status = stored.isPresent() && !stored.get().isGone() ? EnvironmentStatus.DEPLOYING
                    : EnvironmentStatus.CREATING;
            return base.withDeploy(request.commit(), ttl(), now)
                    .withStatus(status, now).withProtected(base.isProtected() || file.environment().isProtected(), now);
        });
    }

    private Optional<Duration> ttl() {
        return file.environment().ttl().or(request::defaultTtl);
    }

    /** The record as this run last wrote it. */
    EnvironmentRecord record() {
        return record;
    }

    /** Records the walk this step belongs to, and whether it is stopped now, with the next save. */
    synchronized void walk(EnvironmentRecord.Walk newWalk) {
        walk = Optional.of(newWalk);
    }

    synchronized void useStack(StackRecord stack) {
        stacks.removeIf(s -> s.name().equals(stack.name()));
        stacks.add(stack);
    }

    synchronized void useBuild(BuildRecord build) {
        builds.removeIf(b -> b.name().equals(build.name()));
        builds.add(build);
    }

    /**
     * Adds a finished step. The record on disk catches up within {@link #SAVE_DELAY}: writing it after
     * every step would cost more than a short stage itself.
     */
    synchronized void record(StepResult step) {
        steps.add(step);
        if (step.kind().equals(BuildRecord.KIND)) {
            // A build's record says how it ended as its step does: failed, interrupted, timed-out.
            for (int i = 0; i < builds.size(); i++) {
                BuildRecord b = builds.get(i);
                if (b.name().equals(step.name()) && !b.succeeded()) {
                    builds.set(i, b.withStatus(step.status().keyword()));
                }
            }
        }
        if (!saveScheduled) {
            saveScheduled = true;
            saver.schedule(this::saveInBackground, SAVE_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Writes the end of the run: interrupted when it was asked to stop; failed when a step aborted it (failed
     * without {@code continue}, timed out).
     */
    void finish(boolean aborted, boolean interrupted) throws IOException {
        saver.shutdown();
        synchronized (this) {
            boolean failed = aborted || steps.stream().anyMatch(s -> s.status().stoppedTheRun());
            status = interrupted ? EnvironmentStatus.INTERRUPTED
                    : failed ? EnvironmentStatus.FAILED : EnvironmentStatus.READY;
            save(Optional.of(interrupted ? StepStatus.INTERRUPTED : failed ? StepStatus.FAILED : StepStatus.SUCCEEDED));
        }
    }

    RunResult result() {
        return new RunResult(environment, status, steps, url());
    }

    private synchronized void saveInBackground() {
        saveScheduled = false;
        try {
            save(Optional.empty());
        } catch (IOException e) {
            log.warning("cannot save the state of environment " + environment + " (will retry): " + e.getMessage());
        }
    }

    /** Writes the record as it is now; callers hold this monitor, so writes never go back in time. */
    private synchronized void save(Optional<StepStatus> result) throws IOException {
        Instant now = clock.instant();
        RunRecord runRecord = new RunRecord(request.mode().command(), startedAt, result.map(r -> now), result, steps,
                Optional.of(request.who()));
        Map<String, String> images = new TreeMap<>();
        Map<String, String> published = variables.published();
        file.images().keySet().forEach(image -> Optional.ofNullable(published.get(
                BuiltinVariables.imageVariable(image))).ifPresent(pinned -> images.put(image, pinned)));
        Optional<String> url = url();
        Map<String, String> outputs = recordableOutputs(published);
        try {
            record = state.update(environment, stored -> {
                EnvironmentRecord base = stored.orElse(record);
                Map<String, String> allOutputs = new TreeMap<>(base.outputs());
                allOutputs.putAll(outputs);
                EnvironmentRecord next = base.withRun(runRecord, url, now).withStacks(stacks, now).withBuilds(builds, now)
                        .withStatus(status, now).withOutputs(allOutputs, now);
                if (walk.isPresent()) {
                    // A walk, once stopped, stays stopped: a step running beside the failed one must not undo it.
                    EnvironmentRecord.Walk mine = walk.get();
                    boolean stopped = mine.aborted() || base.walkStopped(mine.id());
                    next = next.withWalk(new EnvironmentRecord.Walk(mine.id(), stopped), now);
                    if (stopped) {
                        next = next.withStatus(EnvironmentStatus.FAILED, now);
                    }
                }
                if (result.isPresent() && next.status() == EnvironmentStatus.READY) {
                    // Only a deploy that succeeded renews the expiry: failing ones must not keep it alive.
                    next = next.withRenewedExpiry(ttl(), startedAt, now);
                }
                return images.isEmpty() ? next : next.withImages(images, now);
            });
        } catch (StateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** The stacks' and builds' outputs published so far, but not those holding a secret (sensitive ones). */
    private Map<String, String> recordableOutputs(Map<String, String> published) {
        Map<String, String> outputs = new TreeMap<>();
        for (io.jenkins.plugins.berth.model.Build build : file.builds()) {
            for (io.jenkins.plugins.berth.model.Build.Output output : build.outputs()) {
                String value = published.get(output.variable());
                if (value != null && !masker.containsSecret(value)) {
                    outputs.put(output.variable(), value);
                }
            }
        }
        for (Stack stack : file.infrastructure()) {
            for (Stack.Output output : stack.outputs()) {
                String value = published.get(output.variable());
                if (value != null && !masker.containsSecret(value)) {
                    outputs.put(output.variable(), value);
                }
            }
        }
        return outputs;
    }

    private Optional<String> url() {
        return variables.builtin(BuiltinVariables.ENV_URL).filter(u -> !u.isEmpty()).or(record::url);
    }
}
