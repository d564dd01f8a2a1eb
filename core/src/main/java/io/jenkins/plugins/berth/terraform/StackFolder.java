package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.environments.StateLayout;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where Terraform runs for one state key: a copy of the stack's sources kept under the state folder
 * ({@code terraform/work/<key>}), with the deploy file they came with. Running there keeps
 * {@code .terraform} out of the repository, and lets a destroy run after the branch is gone.
 */
public final class StackFolder {

    /** The copy of the deploy file kept with the sources. */
    public static final String DEPLOY_FILE = ".berth-deploy-file.yml";
    /** What Terraform keeps between runs (providers, backend), left in place when sources are copied again. */
    private static final Set<String> KEPT = Set.of(".terraform", ".terraform.lock.hcl");

    private final Path folder;

    public StackFolder(Path folder) {
        this.folder = folder;
    }

    public static StackFolder of(Path stateFolder, String key) {
        return new StackFolder(stateFolder.resolve(relativePath(key)));
    }

    /** Its path relative to the state folder, as recorded with the environment. */
    public static String relativePath(String key) {
        return StateLayout.stackWorkFolder(key);
    }

    public Path path() {
        return folder;
    }

    public boolean exists() {
        return Files.isDirectory(folder);
    }

    /** Replaces the sources with those of {@code source} and keeps a copy of the deploy file. */
    public void copyFrom(Path source, Path deployFile) throws IOException {
        Files.createDirectories(folder);
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.toList()) {
                if (!KEPT.contains(entry.getFileName().toString())) {
                    deleteRecursively(entry);
                }
            }
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!dir.equals(source) && KEPT.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(folder.resolve(source.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (!KEPT.contains(file.getFileName().toString()) && attrs.isRegularFile()) {
                    Files.copy(file, folder.resolve(source.relativize(file).toString()),
                            StandardCopyOption.REPLACE_EXISTING);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        Files.copy(deployFile, folder.resolve(DEPLOY_FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    public void write(String name, String content) throws IOException {
        Files.writeString(folder.resolve(name), content);
    }

    public void delete(String name) throws IOException {
        Files.deleteIfExists(folder.resolve(name));
    }

    /** Removes the whole folder (after a destroy). */
    public void remove() throws IOException {
        if (exists()) {
            deleteRecursively(folder);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (Files.isDirectory(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : children.toList()) {
                    deleteRecursively(child);
                }
            }
        }
        Files.deleteIfExists(path);
    }
}
