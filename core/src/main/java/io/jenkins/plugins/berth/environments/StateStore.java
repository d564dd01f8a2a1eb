package io.jenkins.plugins.berth.environments;

import java.io.IOException;
import java.util.Optional;

/**
 * Where environment records live. The CLI keeps them in a folder ({@link DirectoryStateStore}); the
 * plugin keeps them in Jenkins. Writes are atomic: a reader sees the old record or the new one.
 */
public interface StateStore {

    Optional<EnvironmentRecord> read(String environment) throws IOException, StateException;

    void write(EnvironmentRecord record) throws IOException;

    /**
     * Holds {@code environment} for one run: a second run of the same environment waits here until the
     * first closes the lock. {@code waiting} is called once if the lock is held elsewhere.
     */
    Lock lock(String environment, Runnable waiting) throws IOException, InterruptedException;

    /** A held environment lock. */
    interface Lock extends AutoCloseable {
        @Override
        void close() throws IOException;
    }
}
