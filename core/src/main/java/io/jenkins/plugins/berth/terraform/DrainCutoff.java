package io.jenkins.plugins.berth.terraform;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Interrupts the thread that made it when it is still at work after a while, unless closed first.
 *
 * <p>Why: when an exchange of the JDK's HTTP server ends with its request body unread (a request refused
 * before its body, or past the cap), the server reads what is left, up to 64 KiB, on a blocking channel
 * without a timeout, so that the connection can be kept. A client that declared a body and sends nothing
 * would hold the thread for as long as it likes. A thread blocked on a channel that is interrupted closes
 * the channel: the exchange ends and the thread is free again. A client that does send its (small) body
 * meanwhile has it read and gets a clean answer.
 */
final class DrainCutoff implements AutoCloseable {

    private final Thread thread = Thread.currentThread();
    private final ScheduledFuture<?> timer;
    private boolean closed;
    private boolean fired;

    private DrainCutoff(ScheduledExecutorService timers, Duration wait) {
        this.timer = timers.schedule(this::fire, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A cutoff of the calling thread after {@code wait}. */
    static DrainCutoff after(ScheduledExecutorService timers, Duration wait) {
        return new DrainCutoff(timers, wait);
    }

    private synchronized void fire() {
        if (!closed) {
            fired = true;
            thread.interrupt();
        }
    }

    /** Ends the wait; from now on the thread is not interrupted, and an interrupt this made is cleared. */
    @Override
    public void close() {
        boolean clear;
        synchronized (this) {
            closed = true;
            clear = fired;
        }
        timer.cancel(false);
        if (clear) {
            Thread.interrupted();
        }
    }
}
