package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Read access to the repository a deploy file sits in, with paths relative to the file's folder. The
 * CLI reads the local disk; the plugin will read the workspace through its own implementation.
 */
public interface RepositoryFiles {
    boolean isFile(String path);

    boolean isDirectory(String path);

    /** The names of the regular files directly in {@code dir}, sorted. */
    List<String> list(String dir) throws IOException;

    String read(String path) throws IOException;

    /** The files under {@code root} on the local disk. */
    static RepositoryFiles of(Path root) {
        return new RepositoryFiles() {
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
        };
    }
}
