package io.jenkins.plugins.berth.images;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The tag that names what a build is made of: a SHA-256 over the Dockerfile, the build arguments and
 * every file of the context that {@code .dockerignore} lets in (path, executable bit, content). Two
 * builds with the same content tag produce the same image, so when the registry already has the tag,
 * the build is skipped.
 */
public final class ContentTag {

    /** The tag prefix, so content tags are recognisable among commit and release tags. */
    public static final String PREFIX = "content-";

    private ContentTag() {}

    public static String of(Path context, Path dockerfile, Map<String, String> buildArgs) throws IOException {
        MessageDigest sha = io.jenkins.plugins.berth.Sha256.digest();
        update(sha, "dockerfile\0");
        update(sha, Files.readAllBytes(dockerfile));
        for (Map.Entry<String, String> arg : new TreeMap<>(buildArgs).entrySet()) {
            update(sha, "\0arg\0" + arg.getKey() + "=" + arg.getValue());
        }
        Path ignoreFile = context.resolve(".dockerignore");
        DockerIgnore ignore = Files.isRegularFile(ignoreFile) ? DockerIgnore.parse(Files.readString(ignoreFile))
                : DockerIgnore.none();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(context)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        byte[] buffer = new byte[64 * 1024];
        for (Path file : files) {
            String relative = context.relativize(file).toString().replace('\\', '/');
            if (ignore.excludes(relative)) {
                continue;
            }
            update(sha, "\0file\0" + relative + (Files.isExecutable(file) ? "\0x\0" : "\0-\0"));
            try (InputStream in = Files.newInputStream(file)) {
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
