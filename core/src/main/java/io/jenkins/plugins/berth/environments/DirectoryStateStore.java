package io.jenkins.plugins.berth.environments;

import io.jenkins.plugins.berth.model.EnvironmentNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Environment records as {@code <name>.json} files in a folder (the CLI's in the state home, Jenkins' in the workspace). A
 * record is written to a temporary file, flushed to disk and renamed over the old one, so a crash
 * leaves the old record or the new one, never half of one. {@code <name>.lock} serializes runs of one
 * environment across processes; a semaphore does the same between threads of this process, which a
 * file lock cannot. A missing folder is created readable by its owner alone ({@link PrivateFolders}).
 */
public final class DirectoryStateStore implements StateStore {

    private static final Map<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();
    private static final Map<Path, ReentrantLock> WRITERS = new ConcurrentHashMap<>();

    private final Path folder;
    private final StateFileWriter writer;
    private final RecordsIndex index;

    public DirectoryStateStore(Path folder) {
        this(folder, new StateFileWriter());
    }

    DirectoryStateStore(Path folder, StateFileWriter writer) {
        this(folder, writer, RecordsIndex.COMPACT_SLACK);
    }

    /** {@code compactSlack}: how far past twice its compacted size the records index grows before it is compacted. */
    DirectoryStateStore(Path folder, StateFileWriter writer, long compactSlack) {
        this.folder = folder.toAbsolutePath().normalize();
        this.writer = writer;
        this.index = new RecordsIndex(this.folder, writer, compactSlack);
    }

    public Path folder() {
        return folder;
    }

    /** An environment name, refused unless it is one Berth could have made (no '/', no '..'). */
    private static String checked(String environment) {
        if (!EnvironmentNames.isLabel(environment)) {
            throw new IllegalArgumentException("not an environment name: '" + environment
                    + "' (lowercase letters, digits and '-', at most 63)");
        }
        return environment;
    }

    /** The file that holds {@code environment}'s record. */
    public Path file(String environment) {
        return folder.resolve(StateLayout.recordFile(checked(environment)));
    }

    @Override
    public Optional<EnvironmentRecord> read(String environment) throws IOException, StateException {
        Path file = file(environment);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // A folder, or a file this user may not read: the message says which, as for a bad record.
            throw new IOException(file + ": cannot be read: " + StateFileWriter.reason(e), e);
        }
        return Optional.of(parse(file.toString(), content));
    }

    /** A record's JSON, read from {@code where} (named in errors); refuses records of a newer Berth. */
    public static EnvironmentRecord parse(String where, byte[] content) throws IOException, StateException {
        try {
            return RecordJson.read(content);
        } catch (RecordJson.Unreadable e) {
            if (e.noRecord()) {
                throw new StateException(where + ": not a Berth environment record (no schema_version)");
            }
            if (e.newerVersion() > 0) {
                throw new StateException(where + ": written by a newer Berth (schema version " + e.newerVersion()
                        + "; this Berth reads up to " + EnvironmentRecord.SCHEMA_VERSION + "). Upgrade Berth.");
            }
            throw new StateException(where + ": cannot be read as an environment record: " + e.getMessage(), e);
        } catch (JsonProcessingException e) {
            throw new StateException(where + ": cannot be read as an environment record: " + e.getOriginalMessage(), e);
        }
    }

    /** A record as its file holds it: the JSON {@link #parse} reads. */
    public static byte[] json(EnvironmentRecord record) throws IOException {
        return RecordJson.write(record);
    }

    /** True when {@code kept} holds exactly {@code files}, no link among them: keeping them again would change nothing. */
    private static boolean alreadyKept(Path kept, Map<String, byte[]> files) throws IOException {
        if (!Files.isDirectory(kept, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        java.util.Set<String> present = new java.util.HashSet<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(kept)) {
            for (Path path : (Iterable<Path>) walk::iterator) {
                if (Files.isSymbolicLink(path)) {
                    return false;
                }
                if (Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    present.add(kept.relativize(path).toString().replace(java.io.File.separatorChar, '/'));
                }
            }
        }
        if (!present.equals(files.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (!java.util.Arrays.equals(Files.readAllBytes(kept.resolve(file.getKey())), file.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Where the files of an environment's last successful deploy are kept: {@code kept/<name>/}. */
    public Path keptFolder(String environment) {
        return folder.resolve(StateLayout.keptFolder(checked(environment)));
    }

    /**
     * {@inheritDoc} The files go to {@code kept/<name>/} only while that is inside the state folder: a state
     * folder inside a repository could hold a committed symbolic link at {@code kept}, and Berth would then
     * write, and delete, wherever it points.
     */
    @Override
    public void keep(String environment, Map<String, byte[]> files) throws IOException {
        PrivateFolders.create(folder);
        Path kept = keptFolder(environment);
        Path keptRoot = folder.resolve(StateLayout.KEPT);
        if (Files.isSymbolicLink(keptRoot)) {
            throw new IOException("refusing to keep files in " + keptRoot + ": it is a symbolic link, which could"
                    + " lead out of the state folder; remove it");
        }
        if (!Files.isDirectory(keptRoot)) {
            noting(() -> Files.createDirectories(keptRoot));
        }
        if (alreadyKept(kept, files)) {
            // Every step of a walk keeps the same files: written (and synced) once, not at each step.
            return;
        }
        Path next = keptRoot.resolve("." + environment + ".next");
        deleteTree(next);
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path target = next.resolve(file.getKey()).normalize();
                if (!target.startsWith(next)) {
                    throw new IOException("refusing to keep a file outside the environment's folder: " + file.getKey());
                }
                Files.createDirectories(target.getParent());
                writer.create(target, file.getValue(), "the kept file " + file.getKey() + " of environment "
                        + environment);
                // Kept scripts run as commands name them (./ops/stop.sh): they are made executable.
                if (!io.jenkins.plugins.berth.model.DeployFiles.NAMES.contains(target.getFileName().toString())) {
                    target.toFile().setExecutable(true, true);
                }
            }
            Files.createDirectories(next);
        } catch (IOException e) {
            // The files kept before stay; the half-written next set goes (a full disk wants its space back).
            try {
                deleteTree(next);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        deleteTree(kept);
        Files.move(next, kept, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Deletes {@code root} and all it holds (links themselves, not what they point to); nothing when it is missing. */
    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    @Override
    public List<EnvironmentRecord> all() throws IOException, StateException {
        Records records = records();
        if (!records.unreadable().isEmpty()) {
            throw new StateException(records.unreadable().get(0).message());
        }
        return records.readable();
    }

    @Override
    public Records records() throws IOException {
        if (!Files.isDirectory(folder)) {
            return new Records(List.of(), List.of());
        }
        List<String> names;
        try (Stream<Path> listing = Files.list(folder)) {
            names = listing.map(p -> StateLayout.environmentOfRecord(p.getFileName().toString()))
                    .flatMap(Optional::stream).sorted().toList();
        }
        List<EnvironmentRecord> readable = new java.util.ArrayList<>();
        List<Unreadable> unreadable = new java.util.ArrayList<>();
        for (String name : names) {
            Path file = folder.resolve(StateLayout.recordFile(name));
            if (!EnvironmentNames.isLabel(name)) {
                unreadable.add(new Unreadable(file.toString(), file + ": not the record of an environment (its name"
                        + " is not lowercase letters, digits and '-', at most 63)"));
                continue;
            }
            try {
                read(name).ifPresent(readable::add);
            } catch (IOException | StateException e) {
                unreadable.add(new Unreadable(file.toString(), e.getMessage()));
            }
        }
        return new Records(readable, unreadable);
    }

    /**
     * {@inheritDoc} From the records index ({@link RecordsIndex}), rebuilt from the records when it is missing or
     * stale.
     */
    /**
     * {@inheritDoc} From the records index ({@link RecordsIndex}), rebuilt from the records when it is missing or
     * stale, holding no more than a few lines: how listings of 100,000 environments stay small and quick.
     */
    @Override
    public void eachSummary(SummaryVisitor visitor) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        index.read(this::read, this::records, visitor);
    }

    /** The records index's file. */
    public Path indexFile() {
        return index.file();
    }

    /** Makes a file or folder in the state folder as the index expects: under its lock, noted in it. */
    private void noting(IoAction action) throws IOException {
        try {
            index.noting(() -> {
                action.run();
                return null;
            });
        } catch (StateException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface IoAction {
        void run() throws IOException;
    }

    @Override
    public EnvironmentRecord write(EnvironmentRecord record) throws IOException, StateException {
        return update(record.name(), stored -> record, record.revision());
    }

    @Override
    public EnvironmentRecord update(String environment, Function<Optional<EnvironmentRecord>, EnvironmentRecord> change)
            throws IOException, StateException {
        return update(environment, change, -1);
    }

    /** {@code expectedRevision} -1: whatever is stored; otherwise the stored revision must be that. */
    private EnvironmentRecord update(String environment, Function<Optional<EnvironmentRecord>, EnvironmentRecord> change,
            long expectedRevision) throws IOException, StateException {
        PrivateFolders.create(folder);
        // Every write of the folder's records goes through the index lock, which notes it in the index.
        return index.writing(environment, () -> updateRecord(environment, change, expectedRevision));
    }

    private EnvironmentRecord updateRecord(String environment,
            Function<Optional<EnvironmentRecord>, EnvironmentRecord> change, long expectedRevision)
            throws IOException, StateException {
        Path lockFile = folder.resolve(StateLayout.writeLock(environment));
        ReentrantLock local = WRITERS.computeIfAbsent(lockFile, f -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock ignored = channel.lock()) {
            Optional<EnvironmentRecord> stored = read(environment);
            long storedRevision = stored.map(EnvironmentRecord::revision).orElse(0L);
            if (expectedRevision >= 0 && storedRevision != expectedRevision) {
                throw new ConcurrentUpdateException(environment, storedRevision, expectedRevision);
            }
            EnvironmentRecord next = change.apply(stored).withRevision(storedRevision + 1);
            if (!next.name().equals(environment)) {
                throw new IllegalArgumentException("a change of " + environment + " returned " + next.name());
            }
            writeAtomically(next);
            return next;
        } finally {
            local.unlock();
        }
    }

    private void writeAtomically(EnvironmentRecord record) throws IOException {
        writer.replace(file(record.name()), RecordJson.write(record),
                "the record of environment " + record.name());
    }

    @Override
    public Lock lock(String environment, String holder, Consumer<String> waiting)
            throws IOException, InterruptedException {
        Path lockFile = lockFile(environment);
        Semaphore local = IN_PROCESS.computeIfAbsent(lockFile, f -> new Semaphore(1));
        boolean waited = false;
        if (!local.tryAcquire()) {
            waiting.accept(holder(lockFile));
            waited = true;
            local.acquire();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                if (!waited) {
                    waiting.accept(holder(lockFile));
                }
                held = channel.lock();
            }
            return hold(channel, held, local, holder);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.release();
            throw e;
        }
    }

    @Override
    public Attempt tryLock(String environment, String holder) throws IOException {
        Path lockFile = lockFile(environment);
        Semaphore local = IN_PROCESS.computeIfAbsent(lockFile, f -> new Semaphore(1));
        if (!local.tryAcquire()) {
            return new Busy(holder(lockFile));
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock held = channel.tryLock();
            if (held == null) {
                channel.close();
                local.release();
                return new Busy(holder(lockFile));
            }
            return new Acquired(hold(channel, held, local, holder));
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            local.release();
            throw e;
        }
    }

    private Path lockFile(String environment) throws IOException {
        PrivateFolders.create(folder);
        Path lockFile = folder.resolve(environment + ".lock");
        if (!Files.exists(lockFile)) {
            // A new file changes the folder's time: made under the index lock, so the index stays current.
            noting(() -> {
                try {
                    Files.createFile(lockFile);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another run made it meanwhile
                }
            });
        }
        return lockFile;
    }

    /** Writes who holds the lock into the lock file, for whoever finds it taken. */
    private static Lock hold(FileChannel channel, FileLock held, Semaphore local, String holder) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
        return () -> {
            try {
                channel.truncate(0);
                held.release();
                channel.close();
            } finally {
                local.release();
            }
        };
    }

    private static String holder(Path lockFile) {
        try {
            String text = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "another run" : text;
        } catch (IOException e) {
            return "another run";
        }
    }
}
