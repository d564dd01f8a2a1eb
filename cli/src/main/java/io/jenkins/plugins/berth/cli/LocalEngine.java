package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.run.Engine;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.terraform.InfrastructurePhase;
import io.jenkins.plugins.berth.terraform.TerraformBinary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The engine as the CLI runs it: its plug-ins, processes on this machine, state in a folder. Every
 * command that asks what Berth can run ({@code validate}, {@code plan}, {@code up}) asks here.
 */
final class LocalEngine {

    /**
     * Folders searched before the PATH for tofu and terraform ({@code File.pathSeparator}-separated).
     * bin/berth puts the project's .tools/bin on the PATH itself; tests set this instead.
     */
    static final String PATH_PREPEND = "berth.path.prepend";

    private LocalEngine() {}

    /** The plug-ins the CLI has; later phases are added here as they land. */
    private static Engine.Builder plugins(Path repositoryRoot, Path deployFile, Path stateFolder) {
        return Engine.builder()
                .phase(new InfrastructurePhase(repositoryRoot, deployFile, stateFolder, searchPath()))
                .runsElsewhere(Feature.RELEASE);
    }

    static Engine create(Path repositoryRoot, Path deployFile, Path stateFolder, StateStore state, Log log) {
        return plugins(repositoryRoot, deployFile, stateFolder)
                .build(new LocalCommandRunner(repositoryRoot), state, log);
    }

    /** What the local engine runs beyond plain stages. */
    static Set<Feature> features() {
        Path here = Path.of(".");
        return plugins(here, here, here).features();
    }

    /** Where tools are looked for: {@value #PATH_PREPEND}, then the PATH. */
    static List<Path> searchPath() {
        List<Path> path = new ArrayList<>(TerraformBinary.path(System.getProperty(PATH_PREPEND)));
        path.addAll(TerraformBinary.path(System.getenv("PATH")));
        return path;
    }
}
