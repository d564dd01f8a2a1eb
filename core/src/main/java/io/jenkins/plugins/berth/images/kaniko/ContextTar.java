package io.jenkins.plugins.berth.images.kaniko;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The build context as the Job's init container unpacks it into the claim: the files of the context under
 * {@value #CONTEXT}/ and the Dockerfile as {@value #DOCKERFILE}, so a Dockerfile outside the context is there
 * too. Exactly the files the content tag was computed from; owned by root, modes as on disk (the executable bit
 * at least), times zero, so the same files make the same bytes.
 */
final class ContextTar {

    /** The context's folder inside the claim. */
    static final String CONTEXT = "context";
    /** The Dockerfile's path inside the claim. */
    static final String DOCKERFILE = "Dockerfile";

    /** tar's default record: 20 blocks of 512 bytes. */
    static final int RECORD = 20 * 512;

    private ContextTar() {}

    /**
     * Writes the tar to {@code out}, leaving it open.
     *
     * @param files each file of the context by its path in the context, to its file on disk
     */
    static void write(Map<String, Path> files, Path dockerfile, OutputStream out) throws IOException {
        // Padded to whole 10 KiB records, as tar writes archives: a tar that reads the end's record whole gets it all
        // (standard input stays open after the archive, so a short last record would keep it waiting).
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(out), RECORD);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Set<String> folders = new java.util.HashSet<>();
        addFolder(tar, CONTEXT + "/");
        for (Map.Entry<String, Path> file : files.entrySet()) {
            String[] parts = file.getKey().split("/");
            StringBuilder folder = new StringBuilder(CONTEXT + "/");
            for (int i = 0; i < parts.length - 1; i++) {
                folder.append(parts[i]).append('/');
                if (folders.add(folder.toString())) {
                    addFolder(tar, folder.toString());
                }
            }
            addFile(tar, CONTEXT + "/" + file.getKey(), file.getValue());
        }
        addFile(tar, DOCKERFILE, dockerfile);
        tar.finish();
        tar.close();
    }

    private static void addFolder(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
        owned(entry);
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void addFile(TarArchiveOutputStream tar, String name, Path file) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(Files.size(file));
        entry.setMode(mode(file));
        owned(entry);
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }

    private static void owned(TarArchiveEntry entry) {
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setModTime(0);
    }

    private static int mode(Path file) throws IOException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            int mode = 0;
            for (PosixFilePermission permission : permissions) {
                mode |= 1 << (8 - permission.ordinal());
            }
            return 0100000 | mode;
        } catch (UnsupportedOperationException e) {
            return 0100000 | (Files.isExecutable(file) ? 0755 : 0644);
        }
    }

    /** The stream under the tar stays open: the caller closes it when the other side is done. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
