package io.jenkins.plugins.berth.builds;

import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.RepositoryPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.stream.Stream;

/**
 * Where one version of a build runs ({@code builds/<project>/<build>/<version>} under the state folder): a copy
 * of the template folder that Packer runs in ({@code template/}, so relative artifact paths land here, never in
 * the repository), and Packer's own folders ({@code cache/}, {@code plugins/}, {@code config/}), so that a build
 * neither reads nor writes the user's {@code ~/.packer.d} and a teardown removes all of it.
 */
public final class BuildFolder {

    /** The variables file Berth writes into the template copy; Packer loads {@code *.auto.pkrvars.json} by itself. */
    public static final String VARIABLES_FILE = "berth.auto.pkrvars.json";
    /** What Packer keeps in a template folder between runs: not part of the template. */
    private static final Set<String> WORKING_FILES = Set.of("packer_cache", ".packer.d", VARIABLES_FILE);

    private final Path folder;
    private final String relative;

    private BuildFolder(Path folder, String relative) {
        this.folder = folder;
        this.relative = relative;
    }

    public static BuildFolder of(Path stateFolder, String project, String build, String version) {
        String relative = StateLayout.buildWorkFolder(project, build, version);
        return new BuildFolder(stateFolder.resolve(relative), relative);
    }

    /** The files of the template folder {@code dir}, as a copy takes them (links followed inside the repository). */
    public static SortedMap<String, String> sources(RepositoryFiles files, String dir) throws IOException {
        return RepositoryPaths.files(files, dir, (path, isFolder) -> java.util.Arrays.stream(path.split("/"))
                .anyMatch(WORKING_FILES::contains));
    }

    /** Its path relative to the state folder, as the record keeps it. */
    public String relativePath() {
        return relative;
    }

    public Path path() {
        return folder;
    }

    /** The template copy Packer runs in. */
    public Path template() {
        return folder.resolve("template");
    }

    public Path cache() {
        return folder.resolve("cache");
    }

    public Path plugins() {
        return folder.resolve("plugins");
    }

    public Path config() {
        return folder.resolve("config");
    }

    /**
     * A fresh copy of the template folder {@code dir} of the repository at {@code root}, replacing what an earlier
     * run of this version left (its artifacts too: they are made again); the plugins Packer installed are kept.
     *
     * @throws io.jenkins.plugins.berth.model.LinkOutsideRepositoryException before anything is copied
     */
    public void copyFrom(Path root, String dir) throws IOException {
        SortedMap<String, String> sources = sources(RepositoryFiles.of(root), dir);
        remove(template());
        remove(cache());
        Files.createDirectories(template());
        ownerOnly(folder);
        Files.createDirectories(cache());
        Files.createDirectories(plugins());
        Files.createDirectories(config());
        for (Map.Entry<String, String> source : sources.entrySet()) {
            Path target = template().resolve(source.getKey());
            Files.createDirectories(target.getParent());
            Files.copy(root.resolve(source.getValue()), target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes the variables file, readable by the owner only. */
    public void writeVariables(String json) throws IOException {
        Path file = template().resolve(VARIABLES_FILE);
        Files.deleteIfExists(file);
        Files.createFile(file);
        ownerOnly(file);
        Files.writeString(file, json);
    }

    /** Removes the whole folder: the template copy, the caches and every artifact written inside it. */
    public void remove() throws IOException {
        remove(folder);
    }

    static void remove(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void ownerOnly(Path path) throws IOException {
        if (Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(path, Files.isDirectory(path)
                    ? PosixFilePermissions.fromString("rwx------") : PosixFilePermissions.fromString("rw-------"));
        }
    }
}
