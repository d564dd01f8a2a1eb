package io.jenkins.plugins.berth.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import io.jenkins.plugins.berth.model.BuildContext;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.model.RepositoryPaths;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tag that names what a build is made of: a SHA-256 over the Dockerfile, the build arguments, the build
 * stage and platforms when given, and
 * every file of the context that {@code .dockerignore} lets in (path, executable bit, content; links
 * followed inside the repository, refused when they lead out of it). Two
 * builds with the same content tag produce the same image, so when the registry already has the tag,
 * the build is skipped.
 */
public final class ContentTag {

    /** The tag prefix, so content tags are recognisable among commit and release tags. */
    public static final String PREFIX = "content-";

    private ContentTag() {}

    /**
     * The tag of a build from the repository at {@code root} (the deploy file's folder): {@code context} and
     * {@code dockerfile} are its paths, their files taken as {@link BuildContext} lists them.
     *
     * @throws io.jenkins.plugins.berth.model.LinkOutsideRepositoryException when a link of the context, or the
     *     Dockerfile, leads outside the repository
     */
    public static String of(Path root, String context, String dockerfile, Map<String, String> buildArgs)
            throws IOException {
        return of(root, context, dockerfile, buildArgs, java.util.Optional.empty(), java.util.List.of());
    }

    /**
     * The same, for a build of stage {@code target} for {@code platforms}: each one is part of the tag only when
     * given, so a build without them keeps the tag it had before the keys existed.
     */
    public static String of(Path root, String context, String dockerfile, Map<String, String> buildArgs,
            java.util.Optional<String> target, java.util.List<String> platforms) throws IOException {
        RepositoryFiles repository = RepositoryFiles.of(root);
        MessageDigest sha = io.jenkins.plugins.berth.Sha256.digest();
        update(sha, "dockerfile\0");
        update(sha, Files.readAllBytes(root.resolve(RepositoryPaths.real(repository, dockerfile))));
        for (Map.Entry<String, String> arg : new TreeMap<>(buildArgs).entrySet()) {
            update(sha, "\0arg\0" + arg.getKey() + "=" + arg.getValue());
        }
        target.ifPresent(stage -> update(sha, "\0target\0" + stage));
        for (String platform : platforms) {
            update(sha, "\0platform\0" + platform);
        }
        byte[] buffer = new byte[64 * 1024];
        for (Map.Entry<String, String> file : BuildContext.files(repository, context).entrySet()) {
            Path real = root.resolve(file.getValue());
            update(sha, "\0file\0" + file.getKey() + (Files.isExecutable(real) ? "\0x\0" : "\0-\0"));
            try (InputStream in = Files.newInputStream(real)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
            }
        }
        return PREFIX + HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void update(MessageDigest sha, byte[] bytes) {
        sha.update(bytes);
    }
}
