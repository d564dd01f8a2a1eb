package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.Sha256;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The per-user folder that holds the state folder of every repository the command line deploys from:
 * {@code $BERTH_STATE_HOME}, else {@code $XDG_STATE_HOME/berth}, else {@code ~/.local/state/berth}. Records and
 * local Terraform states live here rather than in the repository, where stage code could read and rewrite them
 * and image build contexts would carry them.
 */
record StateHome(Path folder) {

    static final String VARIABLE = "BERTH_STATE_HOME";

    /** Long enough that two checkouts of one user never collide, short enough to read. */
    private static final int HASH_LENGTH = 12;
    private static final int NAME_LENGTH = 40;

    StateHome {
        folder = folder.toAbsolutePath().normalize();
    }

    /** The state home {@code environment} names, or empty when it names none (no variable and no HOME). */
    static Optional<StateHome> of(RunnerEnvironment environment) {
        Optional<String> berth = environment.get(VARIABLE).filter(value -> !value.isBlank());
        if (berth.isPresent()) {
            return Optional.of(new StateHome(Path.of(berth.get())));
        }
        // The XDG specification says to ignore a relative value.
        Optional<Path> xdg = environment.get("XDG_STATE_HOME").filter(value -> !value.isBlank()).map(Path::of)
                .filter(Path::isAbsolute);
        if (xdg.isPresent()) {
            return Optional.of(new StateHome(xdg.get().resolve("berth")));
        }
        return environment.get("HOME").filter(value -> !value.isBlank())
                .map(home -> new StateHome(Path.of(home, ".local", "state", "berth")));
    }

    /** The state folder of the repository at {@code repository}: {@code <home>/<key>}. */
    Path repositoryFolder(Path repository) {
        return folder.resolve(key(repository));
    }

    /**
     * {@code <folder name>-<12 hex digits of the SHA-256 of its real path>}: what both a command given the deploy
     * file and one given only the repository folder compute. The real path, so that a symbolic link to the
     * checkout finds the same records; the folder name, so that a person can tell which checkout it is.
     */
    static String key(Path repository) {
        Path absolute = repository.toAbsolutePath().normalize();
        Path real;
        try {
            real = absolute.toRealPath();
        } catch (IOException e) {
            real = absolute; // a folder that does not exist yet has no records: any stable key will do
        }
        String name = real.getFileName() == null ? "root" : real.getFileName().toString();
        String readable = name.replaceAll("[^A-Za-z0-9._-]", "_");
        if (readable.length() > NAME_LENGTH) {
            readable = readable.substring(0, NAME_LENGTH);
        }
        return readable + "-" + Sha256.hex(real.toString()).substring(0, HASH_LENGTH);
    }
}
