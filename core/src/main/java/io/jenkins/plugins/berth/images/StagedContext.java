package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.model.BuildContext;
import io.jenkins.plugins.berth.model.DockerIgnore;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.RepositoryPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A copy of exactly the files a {@link ContentTag} was computed from, with their modes, in a temporary folder: the
 * context of a builder that takes no ignore file on its command line (buildx, kaniko), so that it gets the files the
 * tag names and nothing else ({@code .berth}, {@code .git}, what a Dockerfile's own ignore file leaves out). Links
 * are copied as the files they lead to, as the tag reads them. The Dockerfile is copied beside it with an empty
 * {@code <name>.dockerignore}, so BuildKit takes the staged context whole instead of applying a
 * {@code .dockerignore} of it a second time.
 */
final class StagedContext implements AutoCloseable {

    private final Path folder;
    private final Path context;
    private final Path dockerfile;
    private final SortedMap<String, Path> files;

    private StagedContext(Path folder, Path context, Path dockerfile, SortedMap<String, Path> files) {
        this.folder = folder;
        this.context = context;
        this.dockerfile = dockerfile;
        this.files = files;
    }

    /** Stages the context {@code context} and {@code dockerfile} (repository paths) of the repository at {@code root}. */
    static StagedContext of(Path root, String context, String dockerfile) throws IOException {
        RepositoryFiles repository = RepositoryFiles.of(root);
        SortedMap<String, String> files = BuildContext.files(repository, context, dockerfile);
        Path folder = Files.createTempDirectory("berth-context-");
        try {
            Path staged = Files.createDirectory(folder.resolve("context"));
            SortedMap<String, Path> copies = new TreeMap<>();
            SortedMap<String, Integer> folders = new TreeMap<>();
            for (Map.Entry<String, String> file : files.entrySet()) {
                Path source = root.resolve(file.getValue());
                Path target = staged.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                setMode(target, ContentTag.mode(source));
                copies.put(file.getKey(), target);
                String shown = file.getKey();
                for (int slash = shown.indexOf('/'); slash > 0; slash = shown.indexOf('/', slash + 1)) {
                    String sub = shown.substring(0, slash);
                    if (!folders.containsKey(sub)) {
                        String path = BuildContext.isRoot(context) ? sub : context + "/" + sub;
                        folders.put(sub, ContentTag.mode(root.resolve(RepositoryPaths.real(repository, path))));
                    }
                }
            }
            // Deepest first: a folder without write permission is closed once everything is in it.
            List<String> deepestFirst = new ArrayList<>(folders.keySet());
            deepestFirst.sort(Comparator.comparingInt((String f) -> f.split("/").length).reversed());
            for (String sub : deepestFirst) {
                setMode(staged.resolve(sub), folders.get(sub));
            }
            Path real = root.resolve(RepositoryPaths.real(repository, dockerfile));
            Path dockerfiles = Files.createDirectory(folder.resolve("dockerfile"));
            Path copy = dockerfiles.resolve(real.getFileName().toString());
            Files.copy(real, copy);
            Files.writeString(dockerfiles.resolve(copy.getFileName() + BuildContext.IGNORE_FILE),
                    "# written by Berth: the context next to this Dockerfile holds exactly the files to build\n");
            return new StagedContext(folder, staged, copy, Collections.unmodifiableSortedMap(copies));
        } catch (IOException | RuntimeException e) {
            TemporaryFolders.delete(folder);
            throw e;
        }
    }

    /** The staged context folder. */
    Path context() {
        return context;
    }

    /** Each staged file by its path in the context, in order: what a context sent whole holds. */
    SortedMap<String, Path> files() {
        return files;
    }

    /** The copy of the Dockerfile, outside the context, with its empty ignore file beside it. */
    Path dockerfile() {
        return dockerfile;
    }

    /**
     * The staged files that a builder which applies the context's own {@code .dockerignore} again (kaniko, which
     * knows no Dockerfile-specific ignore file) would leave out; none when the context has no {@code .dockerignore}
     * or it leaves out nothing that is there.
     */
    List<String> droppedByItsOwnIgnoreFile() throws IOException {
        Path ignore = context.resolve(BuildContext.IGNORE_FILE);
        if (!Files.isRegularFile(ignore, LinkOption.NOFOLLOW_LINKS)) {
            return List.of();
        }
        DockerIgnore rules = DockerIgnore.parse(Files.readString(ignore));
        List<String> dropped = new ArrayList<>();
        try (var walk = Files.walk(context)) {
            for (Path path : walk.filter(Files::isRegularFile).toList()) {
                String relative = context.relativize(path).toString().replace('\\', '/');
                if (rules.excludes(relative)) {
                    dropped.add(relative);
                }
            }
        }
        java.util.Collections.sort(dropped);
        return dropped;
    }

    @Override
    public void close() throws IOException {
        TemporaryFolders.delete(folder);
    }

    private static void setMode(Path path, int mode) throws IOException {
        try {
            Files.setAttribute(path, "unix:mode", mode);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
            for (PosixFilePermission permission : PosixFilePermission.values()) {
                if ((mode & (0400 >> permission.ordinal())) != 0) {
                    permissions.add(permission);
                }
            }
            try {
                Files.setPosixFilePermissions(path, permissions);
            } catch (UnsupportedOperationException noPosix) {
                path.toFile().setExecutable((mode & 0100) != 0);
            }
        }
    }

    @Override
    public String toString() {
        return "staged context " + context + " with " + dockerfile;
    }
}
