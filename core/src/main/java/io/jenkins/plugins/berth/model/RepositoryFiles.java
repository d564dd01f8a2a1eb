package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotLinkException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Read access to the repository a deploy file sits in, with paths relative to the file's folder
 * ({@link DeployFileLocation}). The CLI reads the local disk; the plugin reads the workspace.
 *
 * <p>An implementation answers for paths as written; {@link #of} and {@link #under} give views that answer
 * for where a path leads, symbolic links followed only inside the repository ({@link RepositoryPaths}).
 */
public interface RepositoryFiles {
    boolean isFile(String path);

    boolean isDirectory(String path);

    /** The names of the regular files directly in {@code dir}, sorted. */
    List<String> list(String dir) throws IOException;

    String read(String path) throws IOException;

    /** The target of the symbolic link at {@code path}, as written in the link; empty when it is no link (or nothing). */
    Optional<String> linkTarget(String path) throws IOException;

    /** The names of everything directly in the folder {@code dir} (files, folders, links, not followed), sorted. */
    List<String> entries(String dir) throws IOException;

    /** The root's absolute path on the machine that holds it, for links written as absolute paths. */
    String location();

    /**
     * The same files seen from {@code folder} (a path of this view): paths are relative to it, and links are
     * followed only inside it, as {@code berth up} over the folder would.
     */
    default RepositoryFiles under(String folder) {
        if (folder.isEmpty()) {
            return confined(this);
        }
        RepositoryFiles outer = this;
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        return confined(new RepositoryFiles() {
            @Override
            public boolean isFile(String path) {
                return outer.isFile(prefix + path);
            }

            @Override
            public boolean isDirectory(String path) {
                return outer.isDirectory(prefix + path);
            }

            @Override
            public List<String> list(String dir) throws IOException {
                return outer.list(prefix + dir);
            }

            @Override
            public String read(String path) throws IOException {
                return outer.read(prefix + path);
            }

            @Override
            public Optional<String> linkTarget(String path) throws IOException {
                return outer.linkTarget(prefix + path);
            }

            @Override
            public List<String> entries(String dir) throws IOException {
                return outer.entries(dir.isEmpty() ? folder : prefix + dir);
            }

            @Override
            public String location() {
                return outer.location().replaceAll("[/\\\\]+$", "") + "/" + folder;
            }
        });
    }

    /**
     * {@code files} answering for where each path leads: a path a symbolic link takes outside the root is no
     * file or folder, cannot be read and is left out of {@link #list} ({@link RepositoryPaths}).
     */
    static RepositoryFiles confined(RepositoryFiles files) {
        return RepositoryPaths.confined(files);
    }

    /** The files under {@code root} on the local disk, links followed only inside it. */
    static RepositoryFiles of(Path root) {
        return confined(new RepositoryFiles() {
            @Override
            public boolean isFile(String path) {
                return Files.isRegularFile(root.resolve(path));
            }

            @Override
            public boolean isDirectory(String path) {
                return Files.isDirectory(root.resolve(path));
            }

            @Override
            public List<String> list(String dir) throws IOException {
                try (Stream<Path> files = Files.list(root.resolve(dir))) {
                    return files.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).sorted().toList();
                }
            }

            @Override
            public String read(String path) throws IOException {
                return Files.readString(root.resolve(path), StandardCharsets.UTF_8);
            }

            @Override
            public Optional<String> linkTarget(String path) throws IOException {
                Path file = root.resolve(path);
                if (!Files.isSymbolicLink(file)) {
                    return Optional.empty();
                }
                try {
                    return Optional.of(Files.readSymbolicLink(file).toString());
                } catch (NotLinkException | NoSuchFileException e) {
                    return Optional.empty();
                }
            }

            @Override
            public List<String> entries(String dir) throws IOException {
                try (Stream<Path> entries = Files.list(root.resolve(dir))) {
                    return entries.map(p -> p.getFileName().toString()).sorted().toList();
                }
            }

            @Override
            public String location() {
                try {
                    return root.toRealPath().toString();
                } catch (IOException e) {
                    return root.toAbsolutePath().normalize().toString();
                }
            }
        });
    }
}
