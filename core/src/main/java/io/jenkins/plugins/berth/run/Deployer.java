package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.model.Stage;
import java.io.IOException;

/** Runs a stage's {@code deploy:} (blue-green), plugged in by the part of Berth that knows how. */
@FunctionalInterface
public interface Deployer {
    void deploy(Stage stage, TaskContext context) throws BerthException, IOException, InterruptedException;

    /** What it can deploy: blue-green, and which targets beyond script and nginx. */
    default java.util.Set<Feature> features() {
        return java.util.Set.of(Feature.BLUE_GREEN);
    }
}
