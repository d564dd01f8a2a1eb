package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run of Berth against an environment ({@code up} today): when it ran, how it ended and each step.
 * While the run is going, {@code finishedAt} and {@code result} are empty and {@code steps} grows.
 *
 * @param by who ran it: {@code user@host (pid N)}, or the Jenkins build's URL (empty in older records)
 */
public record RunRecord(String command, Instant startedAt, Optional<Instant> finishedAt, Optional<StepStatus> result,
        List<StepResult> steps, Optional<String> by) {

    public RunRecord {
        steps = List.copyOf(steps);
        by = by == null ? Optional.empty() : by;
    }
}
