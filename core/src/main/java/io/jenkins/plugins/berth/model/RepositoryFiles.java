package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Read access to the repository a deploy file sits in, with paths relative to the file's folder
 * ({@link DeployFileLocation}). The CLI reads the local disk; the plugin reads the workspace.
 */
public interface RepositoryFiles {
    boolean isFile(String path);

    boolean isDirectory(String path);

    /** The names of the regular files directly in {@code dir}, sorted. */
    List<String> list(String dir) throws IOException;

    String read(String path) throws IOException;

    /** The same files seen from {@code folder} (a path of this view): paths are relative to it. */
    default RepositoryFiles under(String folder) {
        if (folder.isEmpty()) {
            return this;
        }
        RepositoryFiles outer = this;
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        return new RepositoryFiles() {
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
        };
    }

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
