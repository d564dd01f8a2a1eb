package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.TerraformDeclarations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Where Terraform runs for one state key: a copy of the stack's sources kept under the state folder
 * ({@code terraform/work/<key>}), with the deploy file they came with. Running there keeps
 * {@code .terraform} out of the repository, and lets a destroy run after the branch is gone.
 */
public final class StackFolder {

    /** The copy of the deploy file kept with the sources. */
    public static final String DEPLOY_FILE = ".berth-deploy-file.yml";
    /**
     * What is left in place when sources are copied again: what Terraform keeps between runs (providers, backend)
     * and the state a stopped run could not save, until it is saved.
     */
    private static final Set<String> KEPT = kept();

    private static Set<String> kept() {
        Set<String> kept = new java.util.HashSet<>(TerraformDeclarations.WORKING_FILES);
        kept.add("errored.tfstate");
        return Set.copyOf(kept);
    }

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

    /**
     * Replaces the sources with the stack folder {@code dir} of the repository at {@code root} (as
     * {@link TerraformDeclarations#sources} lists them: links followed inside the repository, refused when they
     * lead out of it) and keeps a copy of the deploy file.
     *
     * @throws io.jenkins.plugins.berth.model.LinkOutsideRepositoryException before anything is copied
     */
    public void copyFrom(Path root, String dir, Path deployFile) throws IOException {
        SortedMap<String, String> sources = TerraformDeclarations.sources(RepositoryFiles.of(root), dir);
        Files.createDirectories(folder);
        ownerOnly(folder);
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : entries.toList()) {
                if (!KEPT.contains(entry.getFileName().toString())) {
                    deleteRecursively(entry);
                }
            }
        }
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path target = folder.resolve(source.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(root.resolve(source.getValue()), target, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.copy(deployFile, folder.resolve(DEPLOY_FILE), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Makes the plan file a new empty file only the owner can read, in place of one a killed run left. OpenTofu
     * truncates the file it plans into and keeps its mode: a plan holds every variable's value, secrets included.
     */
    public void preparePlanFile(String name) throws IOException {
        Path plan = folder.resolve(name);
        Files.deleteIfExists(plan);
        Files.createFile(plan);
        ownerOnly(plan);
    }

    /** What OpenTofu wrote when it could not save a state (its backend was gone): {@code errored.tfstate}. */
    public Optional<Path> erroredState() {
        Path errored = folder.resolve(ERRORED_STATE);
        return Files.isRegularFile(errored) ? Optional.of(errored) : Optional.empty();
    }

    /** Where OpenTofu and Terraform write a state they could not save to the backend. */
    public static final String ERRORED_STATE = "errored.tfstate";

    private static void ownerOnly(Path path) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(path, Files.isDirectory(path)
                    ? PosixFilePermissions.fromString("rwx------") : PosixFilePermissions.fromString("rw-------"));
        }
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
