package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.util.SortedMap;

/**
 * The files of an image's build context that a build takes: those its {@code .dockerignore} lets in, links
 * followed only inside the repository. Validation and the content tag read the same list, so a link out of
 * the repository is a validation error rather than a surprise of the build.
 */
public final class BuildContext {
    /** The ignore file of a context. */
    public static final String IGNORE_FILE = ".dockerignore";

    private BuildContext() {}

    /** Each file's path in the context to its real path in {@code files} ({@link RepositoryPaths#files}). */
    public static SortedMap<String, String> files(RepositoryFiles files, String context) throws IOException {
        return RepositoryPaths.files(files, context, ignore(files, context).leftOut());
    }

    /** The context's {@code .dockerignore}, or none. */
    public static DockerIgnore ignore(RepositoryFiles files, String context) throws IOException {
        String path = context.isEmpty() || context.equals(".") ? IGNORE_FILE : context + "/" + IGNORE_FILE;
        return files.isFile(path) ? DockerIgnore.parse(files.read(path)) : DockerIgnore.none();
    }
}
