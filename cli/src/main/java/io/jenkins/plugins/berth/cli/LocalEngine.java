package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.run.Engine;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import java.nio.file.Path;
import java.util.Set;

/**
 * The engine as the CLI runs it: its plug-ins, processes on this machine, state in a folder. Every
 * command that asks what Berth can run ({@code validate}, {@code plan}, {@code up}) asks here.
 */
final class LocalEngine {

    private LocalEngine() {}

    /** The plug-ins the CLI has; later phases are added here as they land. */
    private static Engine.Builder plugins() {
        return Engine.builder();
    }

    static Engine create(Path repositoryRoot, StateStore state, Log log) {
        return plugins().build(new LocalCommandRunner(repositoryRoot), state, log);
    }

    /** What the local engine runs beyond plain stages. */
    static Set<Feature> features() {
        return plugins().features();
    }
}
