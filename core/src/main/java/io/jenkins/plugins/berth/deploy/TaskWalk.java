package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.model.Durations;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.StopRequest;
import io.jenkins.plugins.berth.run.Task;
import io.jenkins.plugins.berth.run.TaskContext;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the tasks of a run's phases with the failure rules: a failed task with {@code on_failure: abort}
 * (the default, and always for stacks and images) stops the run, so later tasks are skipped except those
 * marked {@code always}; a failure with {@code continue} is recorded and the run goes on. Each finished
 * step goes to the {@link RunRecorder}.
 *
 * <p>A task that runs past its timeout is stopped and counts as failed ({@code timed-out}). A stop request
 * (Ctrl-C, SIGTERM) interrupts the running tasks ({@code interrupted}) and stops the run: the {@code always}
 * tasks still run, and nothing here throws {@link InterruptedException}.
 */
final class TaskWalk {

    private final CommandRunner commands;
    private final Clock clock;
    private final Log log;
    private final RepositoryFiles repository;
    private final RunVariables variables;
    private final SecretMasker masker;
    private final int parallel;
    private final RunRecorder recorder;
    private final StopRequest stops;
    private volatile boolean aborted;

    TaskWalk(CommandRunner commands, Clock clock, Log log, RepositoryFiles repository, RunVariables variables,
            SecretMasker masker, int parallel, RunRecorder recorder, StopRequest stops) {
        this.stops = stops;
        this.commands = commands;
        this.clock = clock;
        this.log = log;
        this.repository = repository;
        this.variables = variables;
        this.masker = masker;
        this.parallel = parallel;
        this.recorder = recorder;
    }

    /** True once a failure, a timeout or a stop request stopped the run. */
    boolean aborted() {
        return aborted || stops.requested();
    }

    /** True once the run was asked to stop (Ctrl-C, SIGTERM) or its thread was interrupted. */
    boolean interrupted() {
        return stops.requested();
    }

    /** True when the stop came from interrupting a run's thread rather than from a request of its own. */
    static boolean interruptedByAThread(StopRequest stops) {
        return stops.reason().filter(THREAD_INTERRUPTED::equals).isPresent();
    }

    /** The reason of a stop that came from a thread's interrupt. */
    private static final String THREAD_INTERRUPTED = "interrupted";

    /** Goes on with a walk an earlier step's failure stopped: only {@code always} tasks run from here. */
    void alreadyAborted() {
        aborted = true;
    }

    /** Runs one phase: its groups one after the other, the tasks of a group concurrently. */
    void phase(String name, List<List<Task>> groups) {
        if (groups.isEmpty()) {
            return;
        }
        log.info("Phase " + name);
        for (List<Task> group : groups) {
            if (group.size() == 1 || parallel == 1) {
                for (Task task : group) {
                    recorder.record(execute(name, task));
                }
            } else {
                runConcurrently(name, group);
            }
        }
    }

    private void runConcurrently(String phase, List<Task> group) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, group.size()));
        try {
            List<Future<StepResult>> futures = new ArrayList<>();
            for (Task task : group) {
                futures.add(pool.submit(() -> execute(phase, task)));
            }
            for (Future<StepResult> future : futures) {
                recorder.record(outcome(future));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A concurrent task's result. When this thread is interrupted while it waits, the run is asked to stop, which
     * interrupts the task: its result, interrupted, still comes.
     */
    private StepResult outcome(Future<StepResult> future) {
        while (true) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                stops.request(THREAD_INTERRUPTED);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a task escaped the engine's error handling", e.getCause());
            }
        }
    }

    private StepResult execute(String phase, Task task) {
        if (aborted() && !task.always()) {
            log.info(task.kind() + " " + task.name() + ": skipped, "
                    + (stops.requested() ? "the run was stopped (" + stops.reason().orElseThrow() + ")"
                            : "an earlier failure stopped the run"));
            return new StepResult(phase, task.name(), task.kind(), StepStatus.SKIPPED, Optional.empty(), 0,
                    Optional.empty(), Optional.empty());
        }
        log.info(task.kind() + " " + task.name() + ": started");
        Instant started = clock.instant();
        long start = System.nanoTime();
        String error = null;
        Optional<Integer> exitCode = Optional.empty();
        boolean interrupted = false;
        TaskTimer timer = TaskTimer.start(task.timeout());
        StopRequest.Working working = stops.working();
        try (working; timer) {
            task.work().run(new TaskContext(task.name(), repository, variables, log, commands, masker,
                    recorder::useStack, recorder::useBuild));
        } catch (TaskFailedException e) {
            error = e.getMessage();
            exitCode = e.exitCode();
        } catch (BerthException | IOException e) {
            error = e.getMessage();
        } catch (RuntimeException e) {
            error = "unexpected error: " + e;
        } catch (InterruptedException e) {
            interrupted = true;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (timer.fired()) {
            return stopped(phase, task, started, millis, StepStatus.TIMED_OUT,
                    "timed out: still running after its timeout of "
                            + Durations.format(task.timeout().orElseThrow()) + ", so it was stopped");
        }
        if (interrupted || (error != null && working.interrupted())) {
            // An interrupt that did not come from a request (the thread's owner stopping it) stops the run too.
            stops.request(THREAD_INTERRUPTED);
            return stopped(phase, task, started, millis, StepStatus.INTERRUPTED,
                    "interrupted (" + stops.reason().orElseThrow() + ")");
        }
        StepStatus status = StepStatus.SUCCEEDED;
        if (error != null) {
            error = masker.mask(error);
            boolean goOn = task.onFailure() == OnFailure.CONTINUE;
            status = goOn ? StepStatus.FAILED_CONTINUED : StepStatus.FAILED;
            log.error(task.kind() + " " + task.name() + ": failed after " + Summary.duration(millis) + ": " + error
                    + (goOn ? " (on_failure: continue, going on)" : ""));
            if (!goOn) {
                aborted = true;
            }
        } else {
            log.info(task.kind() + " " + task.name() + ": succeeded in " + Summary.duration(millis));
        }
        return new StepResult(phase, task.name(), task.kind(), status, Optional.of(started), millis, exitCode,
                Optional.ofNullable(error));
    }

    /**
     * A task stopped from outside: by its timeout, which counts as its failure (on_failure decides whether the run
     * goes on), or by a stop request, which stops the run.
     */
    private StepResult stopped(String phase, Task task, Instant started, long millis, StepStatus status,
            String why) {
        boolean goOn = status == StepStatus.TIMED_OUT && task.onFailure() == OnFailure.CONTINUE;
        log.error(task.kind() + " " + task.name() + ": " + why + (goOn ? " (on_failure: continue, going on)" : ""));
        if (!goOn) {
            aborted = true;
        }
        return new StepResult(phase, task.name(), task.kind(), goOn ? StepStatus.FAILED_CONTINUED : status,
                Optional.of(started), millis, Optional.empty(), Optional.of(why));
    }
}
