package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether a stack's work folder is still initialised for what it holds: {@code init} downloads nothing and changes
 * nothing when the backend block, the lock file, the sources and the program are those of the last successful
 * {@code init}, so an {@code up} with nothing changed skips it. The stamp is a digest of all of them, kept in
 * {@code .terraform/berth-init.sha256}: it goes when {@code .terraform} goes (a copy without providers, a clean-up),
 * and any change to what it covers, the backend's settings or the lock file above all, makes the next run initialise.
 * The backend's address and password are not covered: they come from the environment of each command (TF_HTTP_*),
 * which {@code init} does not keep.
 */
final class InitStamp {

    static final String FILE = ".terraform/berth-init.sha256";

    /** What changes with each run and not what {@code init} does: inputs, plans, Berth's copy of the deploy file. */
    private static final Set<String> NOT_COVERED = Set.of(StackInputs.TFVARS, Terraform.PLAN_FILE,
            StackFolder.ERRORED_STATE, StackFolder.DEPLOY_FILE);

    private InitStamp() {}

    /** True when the folder was initialised, by this program, for exactly what it holds now. */
    static boolean current(StackFolder folder, Path binary) throws IOException {
        try {
            return Files.readString(folder.path().resolve(FILE), StandardCharsets.UTF_8).equals(digest(folder, binary));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Before an {@code init}: a failed one must leave no stamp saying it succeeded. */
    static void forget(StackFolder folder) throws IOException {
        Files.deleteIfExists(folder.path().resolve(FILE));
    }

    /** After a successful {@code init}: what it initialised for (the lock file as it wrote it). */
    static void record(StackFolder folder, Path binary) throws IOException {
        Path stamp = folder.path().resolve(FILE);
        if (Files.isDirectory(stamp.getParent())) {
            Files.writeString(stamp, digest(folder, binary), StandardCharsets.UTF_8);
        }
    }

    /** The program (path, size, time) and every covered file's path and content, in path order. */
    static String digest(StackFolder folder, Path binary) throws IOException {
        MessageDigest digest = Sha256.digest();
        Path program = binary.toRealPath();
        update(digest, program + "\0" + Files.size(program) + "\0" + Files.getLastModifiedTime(program) + "\0");
        Path root = folder.path();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).filter(file -> covered(root.relativize(file))).sorted().toList();
        }
        for (Path file : files) {
            update(digest, root.relativize(file) + "\0");
            digest.update(Files.readAllBytes(file));
            update(digest, "\0");
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private static boolean covered(Path relative) {
        return !relative.getName(0).toString().equals(".terraform") && !NOT_COVERED.contains(relative.toString());
    }

    private static void update(MessageDigest digest, String text) {
        digest.update(text.getBytes(StandardCharsets.UTF_8));
    }
}
