package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The colours of an environment: which serves traffic (none while no deploy has succeeded), which
 * previous one is still running for a rollback (until {@code retirePreviousAt}), and every deployment.
 * {@code switching}: the colour a switch was moving traffic to when this was written (the intent, written before
 * the switch runs; a run killed then leaves it for the next run to reconcile). {@code preview}: where the colour
 * that serves no traffic can be reached (the preview endpoint), when the deploy block names one.
 */
public record BlueGreenRecord(Optional<String> live, Optional<String> previous, Optional<Instant> retirePreviousAt,
        List<Deployment> history, Optional<String> switching, Optional<String> preview, Optional<Pending> pending,
        Optional<Ports> ports) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public BlueGreenRecord {
        history = history == null ? List.of() : List.copyOf(history);
        // Records written before these were known have none.
        switching = switching == null ? Optional.empty() : switching;
        preview = preview == null ? Optional.empty() : preview;
        pending = pending == null ? Optional.empty() : pending;
        ports = ports == null ? Optional.empty() : ports;
    }

    /** The ports allocated to the environment's colours ({@code colors: auto}): the same for every deploy. */
    public record Ports(int blue, int green) {}

    /** This record with the environment's allocated ports (or none). */
    public BlueGreenRecord withPorts(Optional<Ports> allocated) {
        return new BlueGreenRecord(live, previous, retirePreviousAt, history, switching, preview, pending, allocated);
    }

    /**
     * A deploy that waits at its approval gate, asked elsewhere (Jenkins' {@code input}): its colour runs, healthy,
     * serving no traffic, until the decision resumes it.
     */
    public record Pending(String color, String deployId, Instant startedAt, Map<String, String> images) {}

    public BlueGreenRecord(Optional<String> live, Optional<String> previous, Optional<Instant> retirePreviousAt,
            List<Deployment> history) {
        this(live, previous, retirePreviousAt, history, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** This record with {@code color} named as the colour a switch is about to move traffic to. */
    public BlueGreenRecord switchingTo(Optional<String> color) {
        return new BlueGreenRecord(live, previous, retirePreviousAt, history, color, preview, pending, ports);
    }

    /** This record with the preview endpoint. */
    public BlueGreenRecord withPreview(Optional<String> url) {
        return new BlueGreenRecord(live, previous, retirePreviousAt, history, switching, url, pending, ports);
    }

    /** This record with the deploy waiting at its gate (or none). */
    public BlueGreenRecord withPending(Optional<Pending> waiting) {
        return new BlueGreenRecord(live, previous, retirePreviousAt, history, switching, preview, waiting, ports);
    }

    /**
     * One blue-green deployment: the colour deployed, the images it ran, what triggered it ({@code up},
     * {@code rollback}, ...), how it ended and when.
     */
    public record Deployment(String color, Map<String, String> images, String trigger, String result,
            Instant startedAt, long durationMillis, Optional<String> error) {}
}
