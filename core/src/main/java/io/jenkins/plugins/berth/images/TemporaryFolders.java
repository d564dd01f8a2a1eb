package io.jenkins.plugins.berth.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Deletes the temporary folders the images phase makes (a staged context, a commit's tree), whatever their modes. */
final class TemporaryFolders {
    private TemporaryFolders() {}

    /** Deletes {@code folder} and everything in it, links not followed; nothing when it is not there. */
    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> paths = new ArrayList<>();
        try (var walk = Files.walk(folder)) {
            // A folder is opened after the walk hands it out: made readable first, so that a folder the copy kept
            // closed (mode 0555, 0000) can be emptied.
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                    path.toFile().setReadable(true, true);
                    path.toFile().setWritable(true, true);
                    path.toFile().setExecutable(true, true);
                }
                paths.add(path);
            }
        }
        Collections.reverse(paths);
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }
}
