package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.model.OnFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * One unit of work of a phase: a stage, a stack, an image. The engine decides whether it runs (after
 * an aborting failure only {@code always} tasks do), times it and records how it ended; the task only
 * does its work and throws when it fails.
 *
 * @param kind {@code stage}, {@code stack} or {@code image}: how the summary and the state name it
 * @param timeout how long it may run before it is stopped and counts as failed ({@code timed-out}); none: as long
 *     as it takes
 */
public record Task(String name, String kind, OnFailure onFailure, boolean always, Optional<Duration> timeout,
        Work work) {

    /** A task without a timeout. */
    public Task(String name, String kind, OnFailure onFailure, boolean always, Work work) {
        this(name, kind, onFailure, always, Optional.empty(), work);
    }

    /** This task with {@code timeout}, if it has one. */
    public Task withTimeout(Optional<Duration> limit) {
        return new Task(name, kind, onFailure, always, limit, work);
    }

    /** The work itself. Throwing means the task failed; the message says why, for a person. */
    @FunctionalInterface
    public interface Work {
        void run(TaskContext context) throws BerthException, IOException, InterruptedException;
    }
}
