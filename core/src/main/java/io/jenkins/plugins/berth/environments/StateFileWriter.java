package io.jenkins.plugins.berth.environments;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes the files of a state folder so that a failure, a full disk above all, names the file and what was
 * being written ("cannot write the record of environment shop-main to ...: No space left on device"), and
 * leaves the file as it was: {@link #replace} writes a temporary file beside the target, flushes it to disk
 * and renames it over the old one, and removes the temporary file whatever happens.
 */
public final class StateFileWriter {

    /** Opens a new file for writing. Tests open {@code /dev/full} instead, which fails writes as a full disk does. */
    @FunctionalInterface
    interface Opener {
        FileChannel open(Path file) throws IOException;
    }

    private static final Opener NEW_FILE = file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE);
    private static final AtomicLong TEMPORARY_NAMES = new AtomicLong();

    private final Opener opener;

    public StateFileWriter() {
        this(NEW_FILE);
    }

    StateFileWriter(Opener opener) {
        this.opener = opener;
    }

    /**
     * Replaces {@code target} with {@code content} as one step: a reader sees the old file or the new one.
     *
     * @param what what the file holds, for errors: "the record of environment shop-main"
     */
    public void replace(Path target, byte[] content, String what) throws IOException {
        // Unique per process and write; the leading dot keeps it out of listings of records.
        Path temporary = target.resolveSibling("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + TEMPORARY_NAMES.incrementAndGet() + ".tmp");
        IOException failed = null;
        try {
            writeDurably(temporary, content);
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            failed = new IOException("cannot replace " + target + " atomically on this file system", e);
            throw failed;
        } catch (IOException e) {
            failed = failure(e, "write " + what + " to " + target);
            throw failed;
        } finally {
            removeTemporary(temporary, failed);
        }
    }

    /** Removes the temporary file; a failure to do so comes second to the write's own. */
    private static void removeTemporary(Path temporary, IOException failed) throws IOException {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            if (failed == null) {
                throw e;
            }
            failed.addSuppressed(e);
        }
    }

    /** Writes a new file {@code file} (none may be there) and flushes it to disk. */
    public void create(Path file, byte[] content, String what) throws IOException {
        try {
            writeDurably(file, content);
        } catch (IOException e) {
            throw failure(e, "write " + what + " to " + file);
        }
    }

    private void writeDurably(Path file, byte[] content) throws IOException {
        try (FileChannel channel = opener.open(file)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** "cannot ACTION: REASON", the reason without the file name a {@link FileSystemException} repeats. */
    static IOException failure(IOException e, String action) {
        return new IOException("cannot " + action + ": " + reason(e), e);
    }

    /** Why an operation on a file failed, in words: "No space left on device", "permission denied". */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file or folder";
        }
        if (e instanceof FileSystemException fileSystem && fileSystem.getReason() != null) {
            return fileSystem.getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
