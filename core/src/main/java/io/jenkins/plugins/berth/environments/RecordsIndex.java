package io.jenkins.plugins.berth.environments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The records index of a state folder ({@code index/environments}): one line per environment with what listings and
 * reaping read ({@link EnvironmentSummary}), so that {@code envs}, {@code reap} and the Environments page read one
 * small file instead of parsing every record.
 *
 * <p>Each record write appends its environment's new line under the index lock, so the index changes with the records
 * (the last line of an environment wins; the file is compacted when it has grown to twice its compacted size). Every
 * line carries the state folder's modification time after the write it notes. The index is current when its last
 * line carries the folder's time as it is now: a record added, replaced or removed by anything else (a copy, a
 * hand, an older Berth, a writer that died between its record and its line) changes the folder's time and not the
 * index, which is then rebuilt from the records on the next read. A record edited in place, which changes no
 * folder time, is not seen until its environment is written again. The index lives in a folder of its own so that
 * replacing it does not change the state folder's time.
 */
final class RecordsIndex {

    /** Reads one record, for the lines that say "read the record" (a write that failed half-way). */
    @FunctionalInterface
    interface RecordReader {
        Optional<EnvironmentRecord> read(String environment) throws IOException, StateException;
    }

    /** Work done under the index lock that changes the state folder. */
    @FunctionalInterface
    interface FolderChange<T> {
        T run() throws IOException, StateException;
    }

    private static final String HEADER = "berth-records-index";
    private static final String VERSION = "1";
    /** Appends past twice the compacted size, and this much, compact the file. */
    static final long COMPACT_SLACK = 1024 * 1024;
    private static final Map<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private final Path stateFolder;
    private final Path folder;
    private final Path file;
    private final StateFileWriter writer;
    private final long compactSlack;

    RecordsIndex(Path stateFolder, StateFileWriter writer, long compactSlack) {
        this.stateFolder = stateFolder;
        this.compactSlack = compactSlack;
        this.folder = stateFolder.resolve(StateLayout.INDEX_FOLDER);
        this.file = stateFolder.resolve(StateLayout.INDEX_FILE);
        this.writer = writer;
    }

    Path file() {
        return file;
    }

    /**
     * Writes a record ({@code write} returns it) and notes it in the index, as one step for every other writer
     * of the folder. A failed write is noted as "read the record" (it may have replaced the file or not).
     */
    EnvironmentRecord writing(String environment, FolderChange<EnvironmentRecord> write)
            throws IOException, StateException {
        return changing(write, written -> written == null ? pending(environment) : entry(written.summary()));
    }

    /** Changes the state folder in another way (a new lock file or folder) without making the index look stale. */
    <T> T noting(FolderChange<T> change) throws IOException, StateException {
        return changing(change, result -> null);
    }

    private <T> T changing(FolderChange<T> change, java.util.function.Function<T, String> line)
            throws IOException, StateException {
        // Made before the folder's time is read: making it changes that time.
        PrivateFolders.create(folder);
        try (Held held = lock()) {
            Optional<Tail> tail = tail();
            boolean current = tail.isPresent() && tail.get().folderTime() == folderTime();
            T result = null;
            try {
                result = change.run();
                return result;
            } finally {
                if (current) {
                    String noted = line.apply(result);
                    try {
                        append(noted == null ? mark() : noted);
                        if (Files.size(file) > 2 * tail.get().compactedSize() + compactSlack) {
                            compact();
                        }
                    } catch (IOException e) {
                        // Not the write's failure: the index is left behind the folder's time, so the next read
                        // rebuilds it from the records.
                    }
                }
            }
        }
    }

    /**
     * Every environment's summary, from the index when it is current, else rebuilt from {@code records} (and kept
     * for the next reader).
     */
    StateStore.Summaries read(RecordReader reader, java.util.concurrent.Callable<StateStore.Records> records)
            throws IOException {
        Optional<StateStore.Summaries> indexed = readCurrent(reader);
        if (indexed.isPresent()) {
            return indexed.get();
        }
        PrivateFolders.create(folder);
        try (Held held = lock()) {
            // Another reader may have rebuilt it while this one waited.
            indexed = readCurrent(reader);
            if (indexed.isPresent()) {
                return indexed.get();
            }
            long time = folderTime();
            StateStore.Records all = call(records);
            List<String> lines = new ArrayList<>();
            all.readable().forEach(r -> lines.add(entry(r.summary())));
            all.unreadable().forEach(u -> lines.add(unreadable(u)));
            rewrite(lines, time);
            return new StateStore.Summaries(all.readable().stream().map(EnvironmentRecord::summary).toList(),
                    all.unreadable());
        }
    }

    private static StateStore.Records call(java.util.concurrent.Callable<StateStore.Records> records)
            throws IOException {
        try {
            return records.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    /** The summaries, if the index is there and current. */
    private Optional<StateStore.Summaries> readCurrent(RecordReader reader) throws IOException {
        Optional<Lines> lines = lines();
        if (lines.isEmpty() || lines.get().lastFolderTime() != folderTime()) {
            return Optional.empty();
        }
        List<EnvironmentSummary> readable = new ArrayList<>(lines.get().byName().size());
        List<StateStore.Unreadable> unreadable = new ArrayList<>();
        for (Map.Entry<String, String> named : lines.get().byName().entrySet()) {
            String[] fields = fields(named.getValue());
            switch (fields[0]) {
                case "E" -> readable.add(summary(fields));
                case "U" -> unreadable.add(new StateStore.Unreadable(fields[3], fields[4]));
                case "P" -> readRecord(reader, named.getKey(), readable, unreadable);
                default -> throw new IllegalStateException("unexpected line kind " + fields[0]);
            }
        }
        return Optional.of(new StateStore.Summaries(readable, unreadable));
    }

    private void readRecord(RecordReader reader, String environment, List<EnvironmentSummary> readable,
            List<StateStore.Unreadable> unreadable) {
        try {
            reader.read(environment).ifPresent(r -> readable.add(r.summary()));
        } catch (IOException | StateException e) {
            unreadable.add(new StateStore.Unreadable(stateFolder.resolve(StateLayout.recordFile(environment)).toString(),
                    e.getMessage()));
        }
    }

    /** The index read in full: the last line of each environment, the last line's folder time; empty if unusable. */
    private record Lines(TreeMap<String, String> byName, long lastFolderTime, long compactedSize) {}

    private Optional<Lines> lines() throws IOException {
        TreeMap<String, String> byName = new TreeMap<>();
        long last;
        long compacted;
        try (InputStream in = Files.newInputStream(file)) {
            LineReader lines = new LineReader(in);
            String header = lines.next();
            String[] head = header == null ? new String[0] : header.split("\t", -1);
            if (head.length != 4 || !head[0].equals(HEADER) || !head[1].equals(VERSION)) {
                return Optional.empty();
            }
            last = Long.parseLong(head[2]);
            compacted = Long.parseLong(head[3]);
            for (String line = lines.next(); line != null; line = lines.next()) {
                int kindEnd = line.indexOf('\t');
                if (kindEnd != 1) {
                    return Optional.empty();
                }
                int timeEnd = line.indexOf('\t', kindEnd + 1);
                timeEnd = timeEnd < 0 ? line.length() : timeEnd;
                last = Long.parseLong(line.substring(kindEnd + 1, timeEnd));
                if (line.charAt(0) != 'M') {
                    int nameEnd = line.indexOf('\t', timeEnd + 1);
                    byName.put(unescape(line.substring(timeEnd + 1, nameEnd < 0 ? line.length() : nameEnd)), line);
                }
            }
            if (!lines.endedCleanly()) {
                return Optional.empty();
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return Optional.empty(); // not an index this Berth wrote: rebuilt
        }
        return Optional.of(new Lines(byName, last, compacted));
    }

    /** The header's compacted size and the last line's folder time, read from the file's ends. */
    private record Tail(long folderTime, long compactedSize) {}

    private Optional<Tail> tail() throws IOException {
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long size = in.length();
            String header = in.readLine();
            String[] head = header == null ? new String[0] : header.split("\t", -1);
            if (head.length != 4 || !head[0].equals(HEADER) || !head[1].equals(VERSION)) {
                return Optional.empty();
            }
            long compacted = Long.parseLong(head[3]);
            // The last line: read back from the end until a line break before it is found.
            for (int window = 4096; ; window *= 2) {
                long from = Math.max(0, size - window);
                byte[] bytes = new byte[(int) (size - from)];
                in.seek(from);
                in.readFully(bytes);
                if (bytes.length == 0 || bytes[bytes.length - 1] != '\n') {
                    return Optional.empty(); // a write died half-way through its line
                }
                int start = bytes.length - 2;
                while (start >= 0 && bytes[start] != '\n') {
                    start--;
                }
                if (start < 0 && from > 0) {
                    continue;
                }
                String line = new String(bytes, start + 1, bytes.length - start - 2, StandardCharsets.UTF_8);
                String[] fields = line.split("\t", -1);
                long time = fields[0].equals(HEADER) ? Long.parseLong(fields[2]) : Long.parseLong(fields[1]);
                return Optional.of(new Tail(time, compacted));
            }
        } catch (java.io.FileNotFoundException | NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** Rewrites the index from its own lines (the lines that say "read the record" are kept as they are). */
    private void compact() throws IOException {
        Optional<Lines> lines = lines();
        if (lines.isPresent()) {
            List<String> kept = new ArrayList<>(lines.get().byName().values());
            rewrite(kept.stream().map(RecordsIndex::withoutTime).toList(), lines.get().lastFolderTime());
        }
    }

    /** Replaces the index with a header and {@code lines} (each without its folder time), all of time {@code time}. */
    private void rewrite(List<String> lines, long time) throws IOException {
        StringBuilder body = new StringBuilder();
        for (String line : lines) {
            body.append(line, 0, 2).append(time).append(line, 1, line.length()).append('\n');
        }
        byte[] bodyBytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String header = HEADER + "\t" + VERSION + "\t" + time + "\t";
        // The compacted size counts the header too; its own digits are few enough to leave out.
        byte[] head = (header + (bodyBytes.length + header.length() + 20) + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[head.length + bodyBytes.length];
        System.arraycopy(head, 0, content, 0, head.length);
        System.arraycopy(bodyBytes, 0, content, head.length, bodyBytes.length);
        writer.replace(file, content, "the records index");
    }

    /** "E\t123\tname..." → "E\tname...": a line as {@link #rewrite} takes it. */
    private static String withoutTime(String line) {
        int timeEnd = line.indexOf('\t', 2);
        return line.charAt(0) + line.substring(timeEnd);
    }

    private void append(String lineWithoutTime) throws IOException {
        String line = withTime(lineWithoutTime, folderTime());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static String withTime(String lineWithoutTime, long time) {
        return lineWithoutTime.charAt(0) + "\t" + time + lineWithoutTime.substring(1) + "\n";
    }

    private long folderTime() throws IOException {
        return Files.getLastModifiedTime(stateFolder).to(TimeUnit.NANOSECONDS);
    }

    // Lines without their folder time: KIND \t fields..., each field escaped.

    static String entry(EnvironmentSummary s) {
        return String.join("\t", "E", escape(s.name()), Long.toString(s.revision()), escape(s.project()),
                escape(s.branch()), s.kind().keyword(), s.status().keyword(), s.isProtected() ? "y" : "n",
                optional(s.url()), optional(s.lastDeployAt().map(Instant::toString)),
                optional(s.expiresAt().map(Instant::toString)), optional(s.lastRunBy()),
                optional(s.teardownStagesSkipped()), states(s.httpStates()));
    }

    /** "app=shop/app/pr-7 db=shop/db" (stack names and state keys have no space or '='), escaped as a field. */
    private static String states(Map<String, String> states) {
        StringBuilder out = new StringBuilder();
        states.forEach((name, key) -> {
            if (plain(name) && plain(key)) { // anything else is no stack name or state key Berth makes
                out.append(out.isEmpty() ? "" : " ").append(name).append('=').append(key);
            }
        });
        return escape(out.toString());
    }

    private static boolean plain(String text) {
        return !text.isEmpty() && text.indexOf(' ') < 0 && text.indexOf('=') < 0;
    }

    private static Map<String, String> states(String field) {
        Map<String, String> states = new java.util.LinkedHashMap<>();
        if (field != null && !field.isEmpty()) {
            for (String pair : field.split(" ")) {
                int equals = pair.indexOf('=');
                states.put(pair.substring(0, equals), pair.substring(equals + 1));
            }
        }
        return states;
    }

    private static String pending(String environment) {
        return "P\t" + escape(environment);
    }

    /** A line that notes a change of the folder and no environment. */
    private static String mark() {
        return "M";
    }

    private static String unreadable(StateStore.Unreadable u) {
        Path name = Path.of(u.file()).getFileName();
        String environment = name == null ? u.file() : name.toString();
        return String.join("\t", "U", escape(environment), escape(u.file()), escape(u.message()));
    }

    /** A line's fields, unescaped: kind, folder time, then the kind's own. */
    private static String[] fields(String line) {
        String[] fields = line.split("\t", -1);
        for (int i = 2; i < fields.length; i++) {
            fields[i] = fields[i].equals("-") ? null : unescape(fields[i]);
        }
        return fields;
    }

    private static EnvironmentSummary summary(String[] f) {
        return new EnvironmentSummary(f[2], Long.parseLong(f[3]), f[4], f[5], EnvironmentKind.of(f[6]),
                EnvironmentStatus.of(f[7]), "y".equals(f[8]), Optional.ofNullable(f[9]),
                Optional.ofNullable(f[10]).map(Instant::parse), Optional.ofNullable(f[11]).map(Instant::parse),
                Optional.ofNullable(f[12]), Optional.ofNullable(f[13]), states(f[14]));
    }

    private static String optional(Optional<String> value) {
        return value.map(RecordsIndex::escape).orElse("-");
    }

    /** Tabs, line breaks and backslashes escaped; a value that starts with '-' gets a backslash (bare "-" is none). */
    static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 4);
        if (value.startsWith("-")) {
            out.append('\\');
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String unescape(String value) {
        if (value.indexOf('\\') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\\' || i + 1 == value.length()) {
                out.append(c);
                continue;
            }
            char next = value.charAt(++i);
            out.append(switch (next) {
                case 't' -> '\t';
                case 'n' -> '\n';
                case 'r' -> '\r';
                default -> next; // '\\' and '-'
            });
        }
        return out.toString();
    }

    /** The index lock: one holder among this process's threads and among processes. */
    private interface Held extends AutoCloseable {
        @Override
        void close() throws IOException;
    }

    private Held lock() throws IOException {
        Path lockFile = stateFolder.resolve(StateLayout.INDEX_LOCK);
        ReentrantLock local = IN_PROCESS.computeIfAbsent(lockFile, f -> new ReentrantLock());
        local.lock();
        try {
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                FileLock held = channel.lock();
                return () -> {
                    try {
                        held.release();
                        channel.close();
                    } finally {
                        local.unlock();
                    }
                };
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            local.unlock();
            throw e;
        }
    }

    /** Lines of UTF-8 bytes split at '\n', and whether the last one had its '\n'. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private byte[] pending = new byte[256];
        private boolean cleanEnd = true;

        LineReader(InputStream in) {
            this.in = in;
        }

        String next() {
            int length = 0;
            while (true) {
                if (position == limit) {
                    try {
                        limit = in.read(buffer);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        cleanEnd = length == 0;
                        return null;
                    }
                }
                int start = position;
                while (position < limit && buffer[position] != '\n') {
                    position++;
                }
                int chunk = position - start;
                if (length + chunk > pending.length) {
                    pending = java.util.Arrays.copyOf(pending, Math.max(pending.length * 2, length + chunk));
                }
                System.arraycopy(buffer, start, pending, length, chunk);
                length += chunk;
                if (position < limit) {
                    position++; // the '\n'
                    return new String(pending, 0, length, StandardCharsets.UTF_8);
                }
            }
        }

        boolean endedCleanly() {
            return cleanEnd;
        }
    }
}
