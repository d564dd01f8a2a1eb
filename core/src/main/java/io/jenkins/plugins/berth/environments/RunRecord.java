package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run of Berth against an environment ({@code up}, {@code redeploy}, ... or {@code down}): when it ran, how
 * it ended and each step. While the run is going, {@code finishedAt} and {@code result} are empty and
 * {@code steps} grows. A {@code down} records each teardown step as it ends, so that the next {@code down}
 * after a failure resumes after the steps done.
 *
 * @param by who ran it: {@code user@host (pid N)}, or the Jenkins build's URL (empty in older records)
 * @param skipReason why a {@code down} skipped the teardown stages ({@code --skip-stages --reason}); empty when
 *     they ran
 */
public record RunRecord(String command, Instant startedAt, Optional<Instant> finishedAt, Optional<StepStatus> result,
        List<StepResult> steps, Optional<String> by, Optional<String> skipReason) {

    public RunRecord {
        steps = List.copyOf(steps);
        by = by == null ? Optional.empty() : by;
        skipReason = skipReason == null ? Optional.empty() : skipReason;
    }

    /** A run that skipped nothing on purpose: every run but a {@code down --skip-stages}. */
    public RunRecord(String command, Instant startedAt, Optional<Instant> finishedAt, Optional<StepStatus> result,
            List<StepResult> steps, Optional<String> by) {
        this(command, startedAt, finishedAt, result, steps, by, Optional.empty());
    }
}
