package io.jenkins.plugins.berth.terraform;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Terraform states on disk, one folder per state key ({@code project/stack/environment}, or
 * {@code project/stack/_shared} for a shared stack): {@code terraform.tfstate}, {@code lock.json} while
 * locked, and the last versions in {@code versions/}. Every write goes to a temporary file, is flushed
 * to disk and renamed over the old file. A lock is taken by hard-linking a complete lock file into
 * place, which fails when one is there: atomic across processes, so two Berth processes serving the
 * same folder cannot both hold a state.
 */
public final class StateStorage {

    /** State keys: lowercase path segments, nothing that could leave the folder. */
    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_-]*(/[a-z0-9_][a-z0-9_-]*)*");
    private static final AtomicLong TEMPORARY_NAMES = new AtomicLong();

    private final Path root;
    private final int keepVersions;

    /** @param keepVersions how many earlier states to keep per key */
    public StateStorage(Path root, int keepVersions) {
        this.root = root.toAbsolutePath().normalize();
        this.keepVersions = keepVersions;
    }

    public static boolean isKey(String key) {
        return KEY.matcher(key).matches() && key.length() <= 300;
    }

    /** A project name: the first segment of its states' keys, one segment only. */
    public static boolean isProject(String project) {
        return isKey(project) && !project.contains("/");
    }

    /** The folder of a key. */
    public Path folder(String key) {
        if (!isKey(key)) {
            throw new IllegalArgumentException("not a state key: '" + key + "'");
        }
        return root.resolve(key);
    }

    public Optional<byte[]> read(String key) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(folder(key).resolve("terraform.tfstate")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    public Optional<LockInfo> lock(String key) throws IOException {
        try {
            return LockInfo.parse(Files.readAllBytes(folder(key).resolve("lock.json")));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * The keys of {@code project} stored here, sorted: {@code project/<stack>/<environment>} and
     * {@code project/<stack>/_shared}, each a folder made by its first state or lock. Found on disk, whatever any
     * record says; folders that are symbolic links are left out.
     */
    public List<String> keys(String project) throws IOException {
        if (!isProject(project)) {
            throw new IllegalArgumentException("not a project: '" + project + "'");
        }
        List<String> keys = new java.util.ArrayList<>();
        if (Files.isSymbolicLink(root.resolve(project))) {
            return keys;
        }
        for (String stack : folders(root.resolve(project))) {
            for (String environment : folders(root.resolve(project).resolve(stack))) {
                String key = project + "/" + stack + "/" + environment;
                if (isKey(key)) {
                    keys.add(key);
                }
            }
        }
        return keys;
    }

    /** The projects that have states here: the first segments of the keys, sorted. */
    public List<String> projects() throws IOException {
        return folders(root).stream().filter(StateStorage::isProject).toList();
    }

    /** The names of the folders in {@code folder} (none when it is missing), symbolic links left out, sorted. */
    private static List<String> folders(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(folder)) {
            return children.filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** The kept earlier states of a key, oldest first. */
    public List<Path> versions(String key) throws IOException {
        Path versions = folder(key).resolve("versions");
        if (!Files.isDirectory(versions)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(versions)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".tfstate")).sorted().toList();
        }
    }

    /** Why a change was refused: the lock ID does not match the lock held. */
    public static final class LockMismatchException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Optional<LockInfo> holder;

        LockMismatchException(Optional<LockInfo> holder) {
            // Without the holder's ID: this message may reach whoever asked.
            super(holder.map(h -> "the state is locked, " + h.heldBy()).orElse("the state is not locked by this ID"));
            this.holder = holder;
        }

        public Optional<LockInfo> holder() {
            return holder;
        }
    }

    /**
     * Replaces the state, keeping the old one as a version. When the state is locked, {@code lockId}
     * must be the lock's ID; a lock ID given for a state that is not locked is refused too (the
     * writer's lock was released under it).
     */
    public synchronized void write(String key, byte[] state, Optional<String> lockId)
            throws IOException, LockMismatchException {
        checkLock(key, lockId);
        Path folder = folder(key);
        Files.createDirectories(folder.resolve("versions"));
        Path current = folder.resolve("terraform.tfstate");
        if (Files.exists(current)) {
            Path version = folder.resolve("versions").resolve(String.format("%020d.tfstate", System.currentTimeMillis() * 1000
                    + TEMPORARY_NAMES.incrementAndGet() % 1000));
            Files.copy(current, version, StandardCopyOption.REPLACE_EXISTING);
            prune(key);
        }
        writeAtomically(current, state);
    }

    public synchronized void delete(String key, Optional<String> lockId) throws IOException, LockMismatchException {
        checkLock(key, lockId);
        Files.deleteIfExists(folder(key).resolve("terraform.tfstate"));
    }

    /** Takes the lock; empty when taken, else the holder. Locking again with the holder's ID succeeds. */
    public synchronized Optional<LockInfo> tryLock(String key, LockInfo lock) throws IOException {
        Path folder = folder(key);
        Files.createDirectories(folder);
        Path lockFile = folder.resolve("lock.json");
        Path temporary = temporary(folder);
        try {
            writeDurably(temporary, lock.json());
            Files.createLink(lockFile, temporary);
            return Optional.empty();
        } catch (FileAlreadyExistsException e) {
            Optional<LockInfo> holder = lock(key);
            return holder.isPresent() && holder.get().id().equals(lock.id()) ? Optional.empty() : holder;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Releases the lock held with {@code lockId}; releasing a state that is not locked succeeds. */
    public synchronized void unlock(String key, String lockId) throws IOException, LockMismatchException {
        Optional<LockInfo> holder = lock(key);
        if (holder.isPresent() && !holder.get().id().equals(lockId)) {
            throw new LockMismatchException(holder);
        }
        Files.deleteIfExists(folder(key).resolve("lock.json"));
    }

    /** Releases the lock whoever holds it ({@code berth unlock}); returns what was released. */
    public synchronized Optional<LockInfo> forceUnlock(String key) throws IOException {
        Optional<LockInfo> holder = lock(key);
        Files.deleteIfExists(folder(key).resolve("lock.json"));
        return holder;
    }

    private void checkLock(String key, Optional<String> lockId) throws IOException, LockMismatchException {
        Optional<LockInfo> holder = lock(key);
        boolean matches = holder.isPresent() ? lockId.equals(Optional.of(holder.get().id())) : lockId.isEmpty();
        if (!matches) {
            throw new LockMismatchException(holder);
        }
    }

    private void prune(String key) throws IOException {
        List<Path> versions = versions(key);
        for (int i = 0; i < versions.size() - keepVersions; i++) {
            Files.deleteIfExists(versions.get(i));
        }
    }

    private static Path temporary(Path folder) {
        return folder.resolve(".tmp-" + ProcessHandle.current().pid() + "-" + TEMPORARY_NAMES.incrementAndGet());
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path temporary = temporary(target.getParent());
        try {
            writeDurably(temporary, content);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    private static void writeDurably(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }
}
