package hudson.model;

import java.io.IOException;

/** Subset of jenkins-core {@code hudson.model.AsyncPeriodicWork} (jenkins-2.541.3). */
public abstract class AsyncPeriodicWork {
    protected AsyncPeriodicWork(String name) {
        throw new UnsupportedOperationException();
    }

    public abstract long getRecurrencePeriod();

    protected abstract void execute(TaskListener listener) throws IOException, InterruptedException;
}
