package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.model.BuildContext;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.RepositoryPaths;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tag that names what a build is made of: a SHA-256 over the Dockerfile, the build arguments, the build stage
 * and platforms when given, the digest of every base image the build pulls ({@link BaseImages}), and every file of
 * the context that the ignore file lets in ({@link BuildContext}: path, full mode, content; the mode of each folder
 * on the way; links followed inside the repository, refused when they lead out of it). Two builds with the same
 * content tag produce the same image, so when the registry already has the tag, the build is skipped. Owners and
 * modification times are not part of it: a fresh checkout of the same commit gives the same tag.
 */
public final class ContentTag {

    /** The tag prefix, so content tags are recognisable among commit and release tags. */
    public static final String PREFIX = "content-";

    /**
     * What a build takes, besides the context's files: {@code context} and {@code dockerfile} are repository paths;
     * {@code baseImages} the digest-pinned references of the images it pulls, in the Dockerfile's order.
     */
    public record Inputs(String context, String dockerfile, Map<String, String> args, Optional<String> target,
            List<String> platforms, List<String> baseImages) {
        public Inputs {
            args = Map.copyOf(args);
            platforms = List.copyOf(platforms);
            baseImages = List.copyOf(baseImages);
        }
    }

    private ContentTag() {}

    /** The tag of a build without a stage, platforms or base images (tests, FROM scratch). */
    public static String of(Path root, String context, String dockerfile, Map<String, String> buildArgs)
            throws IOException {
        return of(root, context, dockerfile, buildArgs, Optional.empty(), List.of());
    }

    /** The tag of a build of stage {@code target} for {@code platforms}, without base images. */
    public static String of(Path root, String context, String dockerfile, Map<String, String> buildArgs,
            Optional<String> target, List<String> platforms) throws IOException {
        return of(root, new Inputs(context, dockerfile, buildArgs, target, platforms, List.of()));
    }

    /**
     * The tag of a build from the repository at {@code root} (the deploy file's folder). The stage, each platform
     * and each base image are part of it only when given.
     *
     * @throws io.jenkins.plugins.berth.model.LinkOutsideRepositoryException when a link of the context, or the
     *     Dockerfile, leads outside the repository
     */
    public static String of(Path root, Inputs inputs) throws IOException {
        RepositoryFiles repository = RepositoryFiles.of(root);
        MessageDigest sha = io.jenkins.plugins.berth.Sha256.digest();
        update(sha, "dockerfile\0");
        sha.update(Files.readAllBytes(root.resolve(RepositoryPaths.real(repository, inputs.dockerfile()))));
        for (Map.Entry<String, String> arg : new TreeMap<>(inputs.args()).entrySet()) {
            update(sha, "\0arg\0" + arg.getKey() + "=" + arg.getValue());
        }
        inputs.target().ifPresent(stage -> update(sha, "\0target\0" + stage));
        for (String platform : inputs.platforms()) {
            update(sha, "\0platform\0" + platform);
        }
        for (String base : inputs.baseImages()) {
            update(sha, "\0base\0" + base);
        }
        byte[] buffer = new byte[64 * 1024];
        Set<String> folders = new HashSet<>();
        for (Map.Entry<String, String> file : BuildContext.files(repository, inputs.context(), inputs.dockerfile())
                .entrySet()) {
            hashFolders(sha, root, repository, inputs.context(), file.getKey(), folders);
            Path real = root.resolve(file.getValue());
            update(sha, "\0file\0" + file.getKey() + "\0" + Integer.toOctalString(mode(real)) + "\0");
            try (InputStream in = Files.newInputStream(real)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
            }
        }
        return PREFIX + HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    }

    /** The folders above {@code file} in the context not hashed yet, outermost first, with their modes. */
    private static void hashFolders(MessageDigest sha, Path root, RepositoryFiles repository, String context,
            String file, Set<String> done) throws IOException {
        int slash = -1;
        while ((slash = file.indexOf('/', slash + 1)) > 0) {
            String folder = file.substring(0, slash);
            if (done.add(folder)) {
                String path = BuildContext.isRoot(context) ? folder : context + "/" + folder;
                Path real = root.resolve(RepositoryPaths.real(repository, path));
                update(sha, "\0dir\0" + folder + "\0" + Integer.toOctalString(mode(real)));
            }
        }
    }

    /**
     * The permission bits of a file as a builder copies them into a layer: {@code rwx} for owner, group and others,
     * with set-user-ID, set-group-ID and sticky. Where the file system has no Unix modes, the executable bit only.
     */
    static int mode(Path path) throws IOException {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode")) & 07777;
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            try {
                int mode = 0;
                for (PosixFilePermission permission : Files.getPosixFilePermissions(path)) {
                    mode |= 0400 >> permission.ordinal();
                }
                return mode;
            } catch (UnsupportedOperationException noPosix) {
                return Files.isExecutable(path) ? 0755 : 0644;
            }
        }
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
    }
}
