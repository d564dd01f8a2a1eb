package io.jenkins.plugins.berth.model;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The one rule for where a repository path may lead: symbolic links are followed only while they stay inside
 * the repository (for a deploy file's paths, its folder: what {@code berth up} takes as the repository).
 * {@code script:}, {@code dir:}, {@code dockerfile:}, {@code context:}, the files a teardown keeps, a stack's
 * sources and an image's build context all go through here, in validation and at run time alike, so a link to
 * {@code /etc/shadow} is refused before anything reads it, and a link inside the repository keeps working.
 *
 * <p>Links are resolved one path segment at a time through {@link RepositoryFiles#linkTarget}, as the kernel
 * does, so the rule needs nothing but the link texts and works the same over a local folder and a Jenkins
 * workspace on an agent.
 */
public final class RepositoryPaths {
    /** As Linux's MAXSYMLINKS: more links in one path is a loop. */
    static final int MAX_LINKS = 40;
    /** Entries one walk visits at most: links inside the repository can make a tree look far bigger than it is. */
    static final int MAX_ENTRIES = 1_000_000;

    /** What a walk leaves out: a path it does not list, a link it does not follow, a folder it does not enter. */
    @FunctionalInterface
    public interface LeftOut {
        LeftOut NOTHING = (path, folder) -> false;

        boolean test(String path, boolean folder);
    }

    private RepositoryPaths() {}

    /**
     * The path {@code path} leads to with every symbolic link followed: a path of {@code files} with no link in
     * it ({@code ""} is the root). A path that does not exist resolves to itself.
     *
     * @throws LinkOutsideRepositoryException when a link takes it outside the root
     * @throws IOException when the links loop, or a link cannot be read
     */
    public static String real(RepositoryFiles files, String path) throws IOException {
        RepositoryFiles raw = raw(files);
        Deque<Segment> todo = new ArrayDeque<>();
        segments(path).forEach(name -> todo.addLast(new Segment(name, null, null)));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            Segment segment = todo.pollFirst();
            if (segment.name().isEmpty() || segment.name().equals(".")) {
                continue;
            }
            if (segment.name().equals("..")) {
                if (done.isEmpty()) {
                    if (segment.link() == null) {
                        throw new IOException("'" + path + "' is not a path inside the repository");
                    }
                    throw new LinkOutsideRepositoryException(path, segment.link(), segment.target());
                }
                done.remove(done.size() - 1);
                continue;
            }
            done.add(segment.name());
            String link = String.join("/", done);
            Optional<String> written = raw.linkTarget(link);
            if (written.isEmpty()) {
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new IOException("'" + path + "' goes through more than " + MAX_LINKS + " symbolic links (a loop?)");
            }
            done.remove(done.size() - 1);
            String target = written.get().replace('\\', '/');
            if (isAbsolute(target)) {
                String root = raw.location().replace('\\', '/').replaceAll("/+$", "");
                if (!target.equals(root) && !target.startsWith(root + "/")) {
                    throw new LinkOutsideRepositoryException(path, link, written.get());
                }
                done.clear();
                target = target.substring(root.length());
            }
            List<String> next = segments(target);
            for (int i = next.size() - 1; i >= 0; i--) {
                todo.addFirst(new Segment(next.get(i), link, written.get()));
            }
        }
        return String.join("/", done);
    }

    /** A path segment still to resolve, and the link whose target it comes from (null: the path asked for). */
    private record Segment(String name, String link, String target) {}

    /**
     * The regular files under the folder {@code dir}, links inside the repository followed (a linked folder is
     * walked like a folder): each file's path under {@code dir}, as a copy of the folder would name it, to its
     * real path ({@link #real}), sorted. What {@code leftOut} says is neither listed, followed nor entered.
     *
     * @throws LinkOutsideRepositoryException at the first link (not left out) that leads outside the repository
     * @throws IOException when a linked folder contains itself, or the walk is too large
     */
    public static SortedMap<String, String> files(RepositoryFiles files, String dir, LeftOut leftOut) throws IOException {
        RepositoryFiles raw = raw(files);
        SortedMap<String, String> found = new TreeMap<>();
        String start = real(raw, dir);
        Set<String> above = new HashSet<>(Set.of(start));
        walk(raw, dir, start, "", leftOut, above, found, new int[1]);
        return found;
    }

    private static void walk(RepositoryFiles raw, String dir, String realFolder, String shownFolder, LeftOut leftOut,
            Set<String> above, SortedMap<String, String> found, int[] entries) throws IOException {
        for (String name : raw.entries(realFolder)) {
            if (++entries[0] > MAX_ENTRIES) {
                throw new IOException("'" + dir + "' holds more than " + MAX_ENTRIES + " entries, links followed");
            }
            String shown = shownFolder.isEmpty() ? name : shownFolder + "/" + name;
            String real = realFolder.isEmpty() ? name : realFolder + "/" + name;
            boolean link = raw.linkTarget(real).isPresent();
            if (link) {
                if (leftOut.test(shown, false)) {
                    continue;
                }
                try {
                    real = real(raw, real);
                } catch (LinkOutsideRepositoryException e) {
                    throw e.at(join(dir, shown));
                }
            }
            if (raw.isDirectory(real)) {
                if (leftOut.test(shown, true)) {
                    continue;
                }
                if (!above.add(real)) {
                    throw new IOException("'" + join(dir, shown) + "' is a symbolic link to a folder that holds it"
                            + " (a loop); a copy of '" + dir + "' would never end");
                }
                walk(raw, dir, real, shown, leftOut, above, found, entries);
                above.remove(real);
            } else if (!leftOut.test(shown, false) && raw.isFile(real)) {
                found.put(shown, real);
            }
        }
    }

    /** {@code files} with every path resolved by {@link #real} before it is used: what {@link RepositoryFiles#of} gives. */
    static RepositoryFiles confined(RepositoryFiles files) {
        return files instanceof Confined ? files : new Confined(files);
    }

    private static RepositoryFiles raw(RepositoryFiles files) {
        return files instanceof Confined confined ? confined.raw : files;
    }

    private static boolean isAbsolute(String path) {
        return path.startsWith("/") || path.matches("[A-Za-z]:/.*");
    }

    private static List<String> segments(String path) {
        return path.isEmpty() ? List.of() : Arrays.asList(path.split("/"));
    }

    private static String join(String dir, String path) {
        return dir.isEmpty() || dir.equals(".") ? path : dir + "/" + path;
    }

    /**
     * Answers for where a path leads, not where it is written: a link outside is no file, cannot be read, and is
     * left out of listings. Link texts and folder entries are passed through: they reveal no content.
     */
    private static final class Confined implements RepositoryFiles {
        private final RepositoryFiles raw;

        Confined(RepositoryFiles raw) {
            this.raw = raw;
        }

        @Override
        public boolean isFile(String path) {
            return inside(path).map(raw::isFile).orElse(false);
        }

        @Override
        public boolean isDirectory(String path) {
            return inside(path).map(raw::isDirectory).orElse(false);
        }

        @Override
        public List<String> list(String dir) throws IOException {
            String real = real(raw, dir);
            List<String> names = new ArrayList<>();
            for (String name : raw.entries(real)) {
                if (isFile(join(dir, name))) {
                    names.add(name);
                }
            }
            return names;
        }

        @Override
        public String read(String path) throws IOException {
            return raw.read(real(raw, path));
        }

        @Override
        public Optional<String> linkTarget(String path) throws IOException {
            return raw.linkTarget(path);
        }

        @Override
        public List<String> entries(String dir) throws IOException {
            return raw.entries(dir);
        }

        @Override
        public String location() {
            return raw.location();
        }

        private Optional<String> inside(String path) {
            try {
                return Optional.of(real(raw, path));
            } catch (IOException e) {
                return Optional.empty();
            }
        }
    }
}
