package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * The files of an image's build context that a build takes: those its ignore file lets in, links followed only
 * inside the repository. Validation, the content tag and what each builder is given read the same list, so a link
 * out of the repository is a validation error rather than a surprise of the build, and the image holds exactly the
 * files its content tag was computed from.
 *
 * <p>The ignore file is BuildKit's choice: {@code <Dockerfile>.dockerignore} next to the Dockerfile (for
 * {@code app.Dockerfile}, {@code app.Dockerfile.dockerignore}) when there is one, else the context's
 * {@code .dockerignore}; the first takes the place of the second, it does not add to it.
 */
public final class BuildContext {
    /** The ignore file of a context. */
    public static final String IGNORE_FILE = ".dockerignore";

    /**
     * What a context that is the deploy file's folder (no {@code context:}, or {@code .}) never takes, whatever
     * the ignore file says: Berth's own folder ({@code .berth}: the Jenkins state, the runner, shared
     * folders) and git's. Both change on every run, so with them the content tag would too and every {@code up}
     * would rebuild; neither belongs in an image.
     */
    public static final List<String> LEFT_OUT_OF_THE_ROOT = List.of(".berth", ".git");

    private BuildContext() {}

    /**
     * Each file's path in the context to its real path in {@code files} ({@link RepositoryPaths#files}), for a build
     * of {@code dockerfile} (a repository path: its own ignore file counts).
     */
    public static SortedMap<String, String> files(RepositoryFiles files, String context, String dockerfile)
            throws IOException {
        RepositoryPaths.LeftOut ignored = ignore(files, context, dockerfile).leftOut();
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

    /**
     * The repository path of the ignore file a build of {@code dockerfile} in {@code context} takes:
     * {@code <dockerfile>.dockerignore} if it is a file, else {@code <context>/.dockerignore} if it is; none else.
     */
    public static Optional<String> ignoreFile(RepositoryFiles files, String context, String dockerfile) {
        String own = dockerfile + IGNORE_FILE;
        if (files.isFile(own)) {
            return Optional.of(own);
        }
        String shared = isRoot(context) ? IGNORE_FILE : context + "/" + IGNORE_FILE;
        return files.isFile(shared) ? Optional.of(shared) : Optional.empty();
    }

    /** The rules of {@link #ignoreFile}, or none. */
    public static DockerIgnore ignore(RepositoryFiles files, String context, String dockerfile) throws IOException {
        Optional<String> file = ignoreFile(files, context, dockerfile);
        return file.isPresent() ? DockerIgnore.parse(files.read(file.get())) : DockerIgnore.none();
    }

    /**
     * The rules as one ignore file, for a builder that is given one ({@code buildah --ignorefile}): the ignore file in
     * effect, then, for the deploy file's folder, {@link #LEFT_OUT_OF_THE_ROOT} (last, so that no {@code !} pattern
     * lets them back in).
     */
    public static String ignoreText(RepositoryFiles files, String context, String dockerfile) throws IOException {
        Optional<String> file = ignoreFile(files, context, dockerfile);
        StringBuilder text = new StringBuilder(file.isPresent() ? files.read(file.get()) : "");
        if (isRoot(context)) {
            text.append("\n# left out by Berth: its own folder and git's\n");
            LEFT_OUT_OF_THE_ROOT.forEach(name -> text.append(name).append('\n'));
        }
        return text.toString();
    }
}
