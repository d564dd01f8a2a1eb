package io.jenkins.plugins.berth.run;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A request to stop a run before its end (Ctrl-C or SIGTERM to the command line). The tasks running when it
 * comes are interrupted, which stops their commands, process groups and all; the run then skips its other
 * tasks except {@code always} ones, which still run so that cleaning up happens; a second request interrupts
 * those too.
 *
 * <p>Only the threads of running tasks are interrupted, never one writing the environment's record: an
 * interrupt there would close the file under the write.
 */
public final class StopRequest {

    private final Set<Working> working = new HashSet<>();
    private Optional<String> reason = Optional.empty();
    private int runs;

    /** Asks the run to stop; {@code why} says what asked ("SIGINT"). */
    public synchronized void request(String why) {
        if (reason.isEmpty()) {
            reason = Optional.of(why);
        }
        for (Working task : working) {
            task.interrupted = true;
            task.thread.interrupt();
        }
    }

    /** What asked the run to stop, once something did. */
    public synchronized Optional<String> reason() {
        return reason;
    }

    public boolean requested() {
        return reason().isPresent();
    }

    /**
     * Marks a run as stopping itself on a request until {@link Watch#close}: whoever turns signals into requests
     * then leaves the stopping to it ({@link #watched}) instead of interrupting the thread the command runs on.
     */
    public synchronized Watch watch() {
        runs++;
        return () -> {
            synchronized (StopRequest.this) {
                runs--;
            }
        };
    }

    /** Whether a run stops itself on a request now. */
    public synchronized boolean watched() {
        return runs > 0;
    }

    /** A run watching the request. */
    public interface Watch extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Marks the calling thread as running a task until {@link Working#close}: a request interrupts it. Close it
     * on the same thread.
     */
    public synchronized Working working() {
        Working task = new Working(Thread.currentThread());
        working.add(task);
        return task;
    }

    /** A task's thread, interruptible by a request while it is open. */
    public final class Working implements AutoCloseable {
        private final Thread thread;
        private boolean interrupted;

        private Working(Thread thread) {
            this.thread = thread;
        }

        /** Whether a request interrupted this task. */
        public boolean interrupted() {
            synchronized (StopRequest.this) {
                return interrupted;
            }
        }

        /**
         * No request interrupts the thread from here on; an interrupt that came as the task ended is cleared, so
         * that it does not stop what the thread does next (recording the step, an {@code always} task).
         */
        @Override
        public void close() {
            synchronized (StopRequest.this) {
                working.remove(this);
                if (interrupted) {
                    Thread.interrupted();
                }
            }
        }
    }
}
