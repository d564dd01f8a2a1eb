package jenkins.util;

import java.util.concurrent.ScheduledExecutorService;

/** Subset of jenkins-core {@code jenkins.util.Timer} (jenkins-2.541.3). */
public class Timer {
    private Timer() {
        throw new UnsupportedOperationException();
    }

    public static synchronized ScheduledExecutorService get() {
        throw new UnsupportedOperationException();
    }
}
