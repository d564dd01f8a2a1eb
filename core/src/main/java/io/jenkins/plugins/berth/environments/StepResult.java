package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.Optional;

/**
 * What one step of a run did. {@code error} is already masked: a state record never holds a secret.
 *
 * @param phase the phase it belongs to, as named in the plan ({@code init_stages}, {@code stages}, ...)
 * @param kind {@code stage}, {@code stack} or {@code image}
 */
public record StepResult(String phase, String name, String kind, StepStatus status, Optional<Instant> startedAt,
        long durationMillis, Optional<Integer> exitCode, Optional<String> error) {}
