package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
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
    private volatile boolean aborted;

    TaskWalk(CommandRunner commands, Clock clock, Log log, RepositoryFiles repository, RunVariables variables,
            SecretMasker masker, int parallel, RunRecorder recorder) {
        this.commands = commands;
        this.clock = clock;
        this.log = log;
        this.repository = repository;
        this.variables = variables;
        this.masker = masker;
        this.parallel = parallel;
        this.recorder = recorder;
    }

    /** True once a failure (or an interrupt) stopped the run. */
    boolean aborted() {
        return aborted;
    }

    /** Goes on with a walk an earlier step's failure stopped: only {@code always} tasks run from here. */
    void alreadyAborted() {
        aborted = true;
    }

    /** Runs one phase: its groups one after the other, the tasks of a group concurrently. */
    void phase(String name, List<List<Task>> groups) throws InterruptedException {
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

    private void runConcurrently(String phase, List<Task> group) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallel, group.size()));
        try {
            List<Future<StepResult>> futures = new ArrayList<>();
            for (Task task : group) {
                futures.add(pool.submit(() -> execute(phase, task)));
            }
            for (Future<StepResult> future : futures) {
                try {
                    recorder.record(future.get());
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a task escaped the engine's error handling", e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private StepResult execute(String phase, Task task) throws InterruptedException {
        if (aborted && !task.always()) {
            log.info(task.kind() + " " + task.name() + ": skipped, an earlier failure stopped the run");
            return new StepResult(phase, task.name(), task.kind(), StepStatus.SKIPPED, Optional.empty(), 0,
                    Optional.empty(), Optional.empty());
        }
        log.info(task.kind() + " " + task.name() + ": started");
        Instant started = clock.instant();
        long start = System.nanoTime();
        String error = null;
        Optional<Integer> exitCode = Optional.empty();
        try {
            task.work().run(new TaskContext(task.name(), repository, variables, log, commands, masker,
                    recorder::useStack));
        } catch (TaskFailedException e) {
            error = e.getMessage();
            exitCode = e.exitCode();
        } catch (BerthException | IOException e) {
            error = e.getMessage();
        } catch (RuntimeException e) {
            error = "unexpected error: " + e;
        } catch (InterruptedException e) {
            aborted = true;
            throw e;
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
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
}
