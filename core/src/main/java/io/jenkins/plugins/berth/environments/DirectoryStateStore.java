package io.jenkins.plugins.berth.environments;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.berth.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Environment records as {@code <name>.json} files in a folder ({@code .berth/state} by default). A
 * record is written to a temporary file, flushed to disk and renamed over the old one, so a crash
 * leaves the old record or the new one, never half of one. {@code <name>.lock} serializes runs of one
 * environment across processes; a semaphore does the same between threads of this process, which a
 * file lock cannot.
 */
public final class DirectoryStateStore implements StateStore {

    private static final Map<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();
    private static final AtomicLong TEMPORARY_NAMES = new AtomicLong();

    private final Path folder;

    public DirectoryStateStore(Path folder) {
        this.folder = folder.toAbsolutePath().normalize();
    }

    public Path folder() {
        return folder;
    }

    /** The file that holds {@code environment}'s record. */
    public Path file(String environment) {
        return folder.resolve(environment + ".json");
    }

    @Override
    public Optional<EnvironmentRecord> read(String environment) throws IOException, StateException {
        Path file = file(environment);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        byte[] content = Files.readAllBytes(file);
        try {
            JsonNode tree = Json.mapper().readTree(content);
            int version = tree.path("schema_version").asInt(-1);
            if (version < 1) {
                throw new StateException(file + ": not a Berth environment record (no schema_version)");
            }
            if (version > EnvironmentRecord.SCHEMA_VERSION) {
                throw new StateException(file + ": written by a newer Berth (schema version " + version
                        + "; this Berth reads up to " + EnvironmentRecord.SCHEMA_VERSION + "). Upgrade Berth.");
            }
            return Optional.of(Json.mapper().treeToValue(tree, EnvironmentRecord.class));
        } catch (JsonProcessingException e) {
            throw new StateException(file + ": cannot be read as an environment record: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public void write(EnvironmentRecord record) throws IOException {
        Files.createDirectories(folder);
        Path target = file(record.name());
        // Unique per process and write; the leading dot keeps it out of listings of records.
        Path temporary = folder.resolve("." + record.name() + ".json." + ProcessHandle.current().pid() + "."
                + TEMPORARY_NAMES.incrementAndGet() + ".tmp");
        try {
            byte[] content = Json.mapper().writeValueAsBytes(record);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically on this file system", e);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public Lock lock(String environment, Runnable waiting) throws IOException, InterruptedException {
        Files.createDirectories(folder);
        Path lockFile = folder.resolve(environment + ".lock");
        Semaphore local = IN_PROCESS.computeIfAbsent(lockFile, f -> new Semaphore(1));
        boolean waited = false;
        if (!local.tryAcquire()) {
            waiting.run();
            waited = true;
            local.acquire();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                if (!waited) {
                    waiting.run();
                }
                held = channel.lock();
            }
            FileChannel open = channel;
            FileLock fileLock = held;
            return () -> {
                try {
                    fileLock.release();
                    open.close();
                } finally {
                    local.release();
                }
            };
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.release();
            throw e;
        }
    }
}
