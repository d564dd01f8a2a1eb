package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The colours of an environment: which serves traffic (none while no deploy has succeeded), which
 * previous one is still running for a rollback (until {@code retirePreviousAt}), and every deployment.
 */
public record BlueGreenRecord(Optional<String> live, Optional<String> previous, Optional<Instant> retirePreviousAt,
        List<Deployment> history) {

    public BlueGreenRecord {
        history = history == null ? List.of() : List.copyOf(history);
    }

    /**
     * One blue-green deployment: the colour deployed, the images it ran, what triggered it ({@code up},
     * {@code rollback}, ...), how it ended and when.
     */
    public record Deployment(String color, Map<String, String> images, String trigger, String result,
            Instant startedAt, long durationMillis, Optional<String> error) {}
}
