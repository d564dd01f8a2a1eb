package io.jenkins.plugins.berth.builds;

import io.jenkins.plugins.berth.model.RepositoryFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The version of a build's configuration: a SHA-256 over the Packer version, the sources it is limited to, its
 * variables (name and value; a sensitive one by name only, so the version never depends on, nor reveals, a
 * secret) and every file of the template folder as a copy takes it ({@link BuildFolder#sources}: path and
 * content). Two builds of the same version make the same artifacts, so a version that already made them is not
 * built again.
 */
public final class BuildVersion {

    /** Its length in hex digits: enough to tell versions apart, short enough to read in a plan. */
    private static final int LENGTH = 32;

    private BuildVersion() {}

    /**
     * @param vars each variable's value; empty for a sensitive one
     * @throws io.jenkins.plugins.berth.model.LinkOutsideRepositoryException when a link of the folder leads out
     */
    public static String of(Path root, String dir, List<String> only,
            Map<String, Optional<String>> vars, String packerVersion) throws IOException {
        MessageDigest sha = io.jenkins.plugins.berth.Sha256.digest();
        update(sha, "berth-build-1\0packer\0" + packerVersion);
        for (String source : new java.util.TreeSet<>(only)) {
            update(sha, "\0only\0" + source);
        }
        for (Map.Entry<String, Optional<String>> var : new TreeMap<>(vars).entrySet()) {
            update(sha, "\0var\0" + var.getKey() + var.getValue().map(v -> "=" + v).orElse("\0sensitive"));
        }
        SortedMap<String, String> files = BuildFolder.sources(RepositoryFiles.of(root), dir);
        for (Map.Entry<String, String> file : files.entrySet()) {
            update(sha, "\0file\0" + file.getKey() + "\0");
            sha.update(Files.readAllBytes(root.resolve(file.getValue())));
        }
        return HexFormat.of().formatHex(sha.digest()).substring(0, LENGTH);
    }

    private static void update(MessageDigest sha, String text) {
        sha.update(text.getBytes(StandardCharsets.UTF_8));
    }
}
