package io.jenkins.plugins.berth.deploy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A task's timeout: once it passes, the task's thread is interrupted, which stops its command's process group
 * ({@link io.jenkins.plugins.berth.run.LocalCommandRunner}). Opened and closed on the task's thread; after
 * {@link #close} it interrupts nothing.
 */
final class TaskTimer implements AutoCloseable {

    private static final ScheduledExecutorService TIMERS = timers();

    private final Thread thread = Thread.currentThread();
    private final Optional<ScheduledFuture<?>> alarm;
    private boolean done;
    private boolean fired;

    private TaskTimer(Optional<Duration> timeout) {
        this.alarm = timeout.map(limit -> TIMERS.schedule(this::fire, limit.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Starts timing the calling thread's task; without a timeout, it never fires. */
    static TaskTimer start(Optional<Duration> timeout) {
        return new TaskTimer(timeout);
    }

    private synchronized void fire() {
        if (!done) {
            fired = true;
            thread.interrupt();
        }
    }

    /** Whether the timeout passed while the task ran. */
    synchronized boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        synchronized (this) {
            done = true;
            if (fired) {
                // The interrupt was the timer's: what the thread does next (recording the step) must not see it.
                Thread.interrupted();
            }
        }
        alarm.ifPresent(a -> a.cancel(false));
    }

    private static ScheduledExecutorService timers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "berth-task-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timers.setRemoveOnCancelPolicy(true);
        return timers;
    }
}
