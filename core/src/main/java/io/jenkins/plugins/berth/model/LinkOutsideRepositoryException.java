package io.jenkins.plugins.berth.model;

import java.io.IOException;

/**
 * A path of the repository that a symbolic link takes outside it ({@link RepositoryPaths}): Berth neither
 * runs, reads nor copies what it leads to. The message names the link and where it points, never content.
 */
public final class LinkOutsideRepositoryException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final String link;
    private final String target;

    LinkOutsideRepositoryException(String path, String link, String target) {
        super(message(path, link, target));
        this.path = path;
        this.link = link;
        this.target = target;
    }

    /** The same link, reached from {@code other} (an entry of a folder being walked). */
    LinkOutsideRepositoryException at(String other) {
        return new LinkOutsideRepositoryException(other, link.equals(path) ? other : link, target);
    }

    private static String message(String path, String link, String target) {
        String where = link.equals(path) ? "'" + path + "' is" : "'" + path + "' leads through '" + link + "', which is";
        return where + " a symbolic link to '" + target + "', outside the repository; Berth follows symbolic links"
                + " only to files inside it";
    }

    /** The path asked for, as the deploy file names it. */
    public String path() {
        return path;
    }
}
