package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.util.List;
import java.util.SortedMap;

/**
 * The files of an image's build context that a build takes: those its {@code .dockerignore} lets in, links
 * followed only inside the repository. Validation and the content tag read the same list, so a link out of
 * the repository is a validation error rather than a surprise of the build.
 */
public final class BuildContext {
    /** The ignore file of a context. */
    public static final String IGNORE_FILE = ".dockerignore";

    /**
     * What a context that is the deploy file's folder (no {@code context:}, or {@code .}) never takes, whatever
     * {@code .dockerignore} says: Berth's own folder ({@code .berth}: the Jenkins state, the runner, shared
     * folders) and git's. Both change on every run, so with them the content tag would too and every {@code up}
     * would rebuild; neither belongs in an image.
     */
    public static final List<String> LEFT_OUT_OF_THE_ROOT = List.of(".berth", ".git");

    private BuildContext() {}

    /** Each file's path in the context to its real path in {@code files} ({@link RepositoryPaths#files}). */
    public static SortedMap<String, String> files(RepositoryFiles files, String context) throws IOException {
        RepositoryPaths.LeftOut ignored = ignore(files, context).leftOut();
        if (!isRoot(context)) {
            return RepositoryPaths.files(files, context, ignored);
        }
        return RepositoryPaths.files(files, context, (path, folder) -> ignored.test(path, folder)
                || LEFT_OUT_OF_THE_ROOT.stream().anyMatch(top -> path.equals(top) || path.startsWith(top + "/")));
    }

    /** Whether {@code context} is the deploy file's folder, which holds {@link #LEFT_OUT_OF_THE_ROOT}. */
    public static boolean isRoot(String context) {
        return context.isEmpty() || context.equals(".");
    }

    /** The context's {@code .dockerignore}, or none. */
    public static DockerIgnore ignore(RepositoryFiles files, String context) throws IOException {
        String path = isRoot(context) ? IGNORE_FILE : context + "/" + IGNORE_FILE;
        return files.isFile(path) ? DockerIgnore.parse(files.read(path)) : DockerIgnore.none();
    }
}
