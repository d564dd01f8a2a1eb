package io.jenkins.plugins.berth.environments;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Creates state folders readable by their owner alone (0700, as the XDG specification asks of a state home):
 * they hold environment records, kept teardown files and local Terraform states.
 */
public final class PrivateFolders {

    private PrivateFolders() {}

    /**
     * Creates {@code folder} and each missing folder above it, 0700 where the file system has POSIX permissions.
     * Folders that already exist keep their permissions.
     */
    public static void create(Path folder) throws IOException {
        Deque<Path> missing = new ArrayDeque<>();
        for (Path at = folder.toAbsolutePath().normalize(); at != null && !Files.isDirectory(at); at = at.getParent()) {
            missing.push(at);
        }
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        for (Path each : missing) {
            try {
                if (posix) {
                    Files.createDirectory(each, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(each);
                }
            } catch (FileAlreadyExistsException e) {
                if (!Files.isDirectory(each)) {
                    throw e;
                } // another run made it meanwhile
            }
        }
    }
}
