package io.jenkins.plugins.berth;

import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFileException;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.Problem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Shared helpers: parse deploy-file text, find the project root. */
public final class TestFiles {
    private TestFiles() {}

    /** The problems of {@code yaml} read as "berth.yml" without a repository, formatted FILE:LINE:COLUMN: message. */
    public static List<String> problems(String yaml) {
        try {
            DeployFiles.parse("berth.yml", yaml.getBytes(StandardCharsets.UTF_8), Optional.empty());
            return List.of();
        } catch (DeployFileException e) {
            return e.problems().stream().map(Problem::toString).toList();
        }
    }

    /** A valid deploy file from text; fails the test with every problem otherwise. */
    public static DeployFile valid(String yaml) {
        try {
            return DeployFiles.parse("berth.yml", yaml.getBytes(StandardCharsets.UTF_8), Optional.empty());
        } catch (DeployFileException e) {
            throw new AssertionError("expected a valid file, got:\n" + e.getMessage(), e);
        }
    }

    /** Copies the fixture folder {@code fixture} (relative to the module) into {@code target}, folders and all. */
    public static void copyFixture(String fixture, Path target) throws java.io.IOException {
        Path from = Path.of(fixture);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.walk(from)) {
            for (Path file : files.toList()) {
                Path to = target.resolve(from.relativize(file).toString());
                if (java.nio.file.Files.isDirectory(file)) {
                    java.nio.file.Files.createDirectories(to);
                } else {
                    java.nio.file.Files.copy(file, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The project's root folder (set by the build; the working folder's parent otherwise). */
    public static Path projectRoot() {
        String root = System.getProperty("berth.projectRoot");
        return (root != null ? Path.of(root) : Path.of("..")).toAbsolutePath().normalize();
    }
}
