package io.jenkins.plugins.berth.teardown;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.time.Duration;

/** Runs a teardown step again after a failure, waiting longer each time: a registry or cloud API may be down for a moment. */
public record Retries(int attempts, Duration firstWait) {

    /** Three attempts, 1 s then 2 s apart. */
    public static final Retries DEFAULT = new Retries(3, Duration.ofSeconds(1));

    public Retries {
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
    }

    /** A step that may fail. */
    @FunctionalInterface
    public interface Step {
        void run() throws BerthException, IOException, InterruptedException;
    }

    public void run(String what, Log log, Step step) throws BerthException, IOException, InterruptedException {
        Duration wait = firstWait;
        for (int attempt = 1; ; attempt++) {
            try {
                step.run();
                return;
            } catch (BerthException | IOException e) {
                if (attempt == attempts) {
                    throw e;
                }
                log.warning(what + " failed (attempt " + attempt + " of " + attempts + "): " + e.getMessage()
                        + "; trying again in " + wait.toMillis() + " ms");
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2);
            }
        }
    }
}
