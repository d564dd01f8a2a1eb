package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.Credentials;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A registry login for one build: a {@code config.json} of a single {@code auths} entry, as docker, buildah
 * ({@code --authfile}) and kaniko ({@code DOCKER_CONFIG}) read it, in a folder only this user may enter (0700, the
 * file 0600), outside the repository, removed when the build ends. The token never is an argument of a process or in
 * the environment of one. The folder is in memory where the machine has {@code /dev/shm}; the temporary folder
 * otherwise. A run killed before its clean-up leaves its folder behind: the next build removes the folders of
 * processes that are gone (the folder is named after the process).
 */
final class BuilderLogin implements AutoCloseable {

    static final String PREFIX = "berth-login-";
    static final String FILE = "config.json";

    private final Path folder;

    private BuilderLogin(Path folder) {
        this.folder = folder;
    }

    /** Writes the login for {@code host} in a new private folder under {@link #parent()}. */
    static BuilderLogin write(String host, Credentials credentials) throws IOException {
        return write(parent(), host, credentials);
    }

    static BuilderLogin write(Path parent, String host, Credentials credentials) throws IOException {
        sweep(parent);
        Path folder = Files.createTempDirectory(parent, PREFIX + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        BuilderLogin login = new BuilderLogin(folder);
        try {
            Path file = Files.createFile(folder.resolve(FILE),
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, Credentials.dockerConfig(host, Optional.of(credentials)));
            return login;
        } catch (IOException | RuntimeException e) {
            login.close();
            throw e;
        }
    }

    /** {@code /dev/shm} (memory) when it is a writable folder, else the JVM's temporary folder. */
    static Path parent() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /** The folder: {@code DOCKER_CONFIG} for docker and kaniko. */
    Path folder() {
        return folder;
    }

    /** The file: buildah's {@code --authfile}. */
    Path authFile() {
        return folder.resolve(FILE);
    }

    @Override
    public void close() throws IOException {
        delete(folder);
    }

    /** Removes the login folders of processes that no longer run (a kill left them); others' are not touched. */
    static void sweep(Path parent) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path entry : entries) {
                Optional<Long> pid = pidOf(entry.getFileName().toString());
                if (pid.isPresent() && ProcessHandle.of(pid.get()).isEmpty()) {
                    try {
                        delete(entry);
                    } catch (IOException e) {
                        // Another user's, or going away already: not this run's to clean.
                    }
                }
            }
        } catch (IOException e) {
            // An unreadable parent: nothing of ours can be swept there.
        }
    }

    static Optional<Long> pidOf(String name) {
        String rest = name.substring(PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash <= 0 ? Optional.empty() : Optional.of(Long.parseLong(rest.substring(0, dash)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
