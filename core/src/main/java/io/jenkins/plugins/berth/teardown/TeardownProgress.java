package io.jenkins.plugins.berth.teardown;

import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The run record of one teardown ({@code last_run}, command {@code down}), written as each step ends. A
 * teardown that fails or is killed so leaves what it finished in the environment's record, and the next one
 * goes on from the first step not done: it does not run again teardown stages that already ran (their stacks,
 * and so their outputs, may be gone by then) nor retire a colour twice. A deploy in between starts afresh.
 */
final class TeardownProgress {

    static final String COMMAND = "down";

    /** One step of a teardown, named as its run record names it. */
    record Step(String phase, String name, String kind) {
        static Step stage(String name) {
            return new Step("teardown", name, "stage");
        }

        static Step colour(String name) {
            return new Step("stages", name, "colour");
        }

        static Step stack(String name) {
            return new Step("infrastructure", name, "stack");
        }

        static Step builds() {
            return new Step("builds", "unused build files", "build");
        }

        static Step images() {
            return new Step("images", "unused images", "image");
        }

        boolean is(StepResult result) {
            return result.phase().equals(phase) && result.name().equals(name) && result.kind().equals(kind);
        }
    }

    private final StateStore state;
    private final String environment;
    private final Clock clock;
    private final Instant startedAt;
    private final String by;
    private final Optional<String> skipReason;
    private final Optional<RunRecord> resumed;
    private final List<StepResult> steps;

    private TeardownProgress(StateStore state, String environment, Clock clock, Instant startedAt, String by,
            Optional<String> skipReason, Optional<RunRecord> resumed, List<StepResult> steps) {
        this.state = state;
        this.environment = environment;
        this.clock = clock;
        this.startedAt = startedAt;
        this.by = by;
        this.skipReason = skipReason;
        this.resumed = resumed;
        this.steps = new ArrayList<>(steps);
    }

    /**
     * A teardown of {@code record}'s environment, going on after the steps an earlier teardown finished when the
     * environment's last run is a teardown that did not succeed. Skipped stages stay skipped, with their reason,
     * unless this teardown gives a new one.
     */
    static TeardownProgress start(StateStore state, EnvironmentRecord record, Optional<SkipStages> skip, Clock clock,
            String by) {
        Optional<RunRecord> unfinished = record.lastRun().filter(run -> run.command().equals(COMMAND)
                && run.result().filter(result -> result == StepStatus.SUCCEEDED).isEmpty());
        List<StepResult> done = unfinished.map(run -> run.steps().stream().filter(TeardownProgress::isDone).toList())
                .orElse(List.of());
        Optional<String> reason = skip.map(SkipStages::reason).or(() -> unfinished.flatMap(RunRecord::skipReason));
        return new TeardownProgress(state, record.name(), clock, clock.instant(), by, reason,
                unfinished.filter(run -> !done.isEmpty()), done);
    }

    /** A step that ran to its end: succeeded, or failed and went on (on_failure: continue), or skipped on purpose. */
    private static boolean isDone(StepResult step) {
        return step.status() != StepStatus.FAILED;
    }

    /** The earlier teardown this one goes on from, when it finished some steps. */
    Optional<RunRecord> resumed() {
        return resumed;
    }

    /** Why the teardown stages are skipped, when they are: this teardown's reason or the one it goes on from. */
    Optional<String> skipReason() {
        return skipReason;
    }

    /** How {@code step} ended in an earlier teardown this one goes on from; empty when it is still to do. */
    Optional<StepResult> done(Step step) {
        return steps.stream().filter(step::is).findFirst();
    }

    /**
     * Records that {@code step} ended with {@code status}, together with {@code change} of the record;
     * {@code failure} is masked before it is kept.
     */
    void ended(Step step, StepStatus status, Instant started, Optional<Exception> failure, SecretMasker masker,
            UnaryOperator<EnvironmentRecord> change) throws IOException, StateException {
        Instant now = clock.instant();
        steps.add(new StepResult(step.phase(), step.name(), step.kind(), status, Optional.of(started),
                Duration.between(started, now).toMillis(),
                failure.filter(TaskFailedException.class::isInstance).flatMap(e -> ((TaskFailedException) e).exitCode()),
                failure.map(e -> masker.mask(String.valueOf(e.getMessage())))));
        write(Optional.empty(), change);
    }

    /** Records the end of the teardown, together with {@code change} of the record. */
    void finish(StepStatus result, UnaryOperator<EnvironmentRecord> change) throws IOException, StateException {
        write(Optional.of(result), change);
    }

    private void write(Optional<StepStatus> result, UnaryOperator<EnvironmentRecord> change)
            throws IOException, StateException {
        Instant now = clock.instant();
        RunRecord run = new RunRecord(COMMAND, startedAt, result.map(r -> now), result, steps, Optional.of(by),
                skipReason);
        state.update(environment, stored -> {
            EnvironmentRecord record = stored.orElseThrow();
            return change.apply(record.withRun(run, record.url(), now));
        });
    }
}
