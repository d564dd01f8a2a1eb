package io.jenkins.plugins.berth.environments;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
                        long time = append(noted == null ? mark() : noted);
                        if (Files.size(file) > 2 * tail.get().compactedSize() + compactSlack) {
                            compact(time);
                        }
                    } catch (IOException e) {
                        // Not the write's failure: the index is left behind the folder's time, so the next read
                        // rebuilds it from the records.
                    }
                }
            }
        }
    }

    /** Takes whole lines of the index, as they are in the file. */
    @FunctionalInterface
    private interface LineSink {
        void line(String line) throws IOException;
    }

    /**
     * Hands every environment's summary to {@code visitor} in name order, from the index when it is current (holding
     * only the lines appended since it was compacted), else rebuilt from {@code records} (and kept for the next
     * reader).
     */
    void read(RecordReader reader, java.util.concurrent.Callable<StateStore.Records> records,
            StateStore.SummaryVisitor visitor)
            throws IOException {
        if (current() && merged(line -> visit(line, reader, visitor))) {
            return;
        }
        PrivateFolders.create(folder);
        StateStore.Records all;
        try (Held held = lock()) {
            // Another reader may have rebuilt it while this one waited.
            if (current() && merged(line -> visit(line, reader, visitor))) {
                return;
            }
            long time = folderTime();
            all = call(records);
            List<String> lines = new ArrayList<>();
            all.readable().forEach(r -> lines.add(entry(r.summary())));
            all.unreadable().forEach(u -> lines.add(unreadable(u)));
            rewrite(lines, time);
        }
        for (EnvironmentRecord record : all.readable()) {
            visitor.readable(record.summary());
        }
        for (StateStore.Unreadable unreadable : all.unreadable()) {
            visitor.unreadable(unreadable);
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

    /** True when the index is there, whole, and its last line carries the folder's time as it is now. */
    private boolean current() throws IOException {
        Optional<Tail> tail = tail();
        return tail.isPresent() && tail.get().folderTime() == folderTime();
    }

    private void visit(String line, RecordReader reader, StateStore.SummaryVisitor visitor) throws IOException {
        String[] fields = fields(line);
        switch (fields[0]) {
            case "E" -> visitor.readable(summary(fields));
            case "U" -> visitor.unreadable(new StateStore.Unreadable(fields[3], fields[4]));
            case "P" -> {
                try {
                    Optional<EnvironmentRecord> record = reader.read(fields[2]);
                    if (record.isPresent()) {
                        visitor.readable(record.get().summary());
                    }
                } catch (StateException | IOException e) {
                    visitor.unreadable(new StateStore.Unreadable(
                            stateFolder.resolve(StateLayout.recordFile(fields[2])).toString(), e.getMessage()));
                }
            }
            default -> throw new IllegalArgumentException("unknown line kind " + fields[0]);
        }
    }

    /**
     * The last line of each environment, in name order: the compacted part (sorted, one line each) streamed and merged
     * with the lines appended since (few), which replace its lines. False, with nothing handed on, when the file is
     * not an index this Berth reads; a damaged line in the compacted part is handed on as an unreadable record, and
     * the index removed so that the next read rebuilds it.
     */
    private boolean merged(LineSink sink) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Optional<Header> header = header(channel);
            if (header.isEmpty() || header.get().compactedSize() > channel.size()
                    || header.get().compactedSize() < header.get().length()) {
                return false;
            }
            TreeMap<String, String> appended = new TreeMap<>();
            channel.position(header.get().compactedSize());
            LineReader tail = new LineReader(java.nio.channels.Channels.newInputStream(channel), Long.MAX_VALUE);
            for (String line = tail.next(); line != null; line = tail.next()) {
                Optional<String> name = nameOf(line);
                if (name.isEmpty() && !line.startsWith("M\t")) {
                    return false;
                }
                if (name.isPresent()) {
                    appended.put(name.get(), line);
                }
            }
            channel.position(header.get().length());
            LineReader body = new LineReader(java.nio.channels.Channels.newInputStream(channel),
                    header.get().compactedSize() - header.get().length());
            int number = 1;
            for (String line = body.next(); line != null; line = body.next()) {
                number++;
                try {
                    String name = nameOf(line).orElseThrow(() -> new IllegalArgumentException("no environment name"));
                    while (!appended.isEmpty() && appended.firstKey().compareTo(name) < 0) {
                        sink.line(appended.pollFirstEntry().getValue());
                    }
                    String newer = appended.remove(name);
                    sink.line(newer != null ? newer : line);
                } catch (IllegalArgumentException | IndexOutOfBoundsException | java.time.DateTimeException e) {
                    damaged(sink, number, e);
                }
            }
            for (String line : appended.values()) {
                sink.line(line);
            }
            return true;
        } catch (NoSuchFileException e) {
            return false;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** A damaged line of the compacted part: said as an unreadable record; the index goes, to be rebuilt. */
    private void damaged(LineSink sink, int number, RuntimeException e) throws IOException {
        Files.deleteIfExists(file);
        sink.line(String.join("\t", "U", "0", escape(file.getFileName().toString() + ":" + number),
                escape(file.toString()), escape(file + ": line " + number + " is damaged (" + e.getMessage()
                        + "); the index is rebuilt from the records at the next read")));
    }

    /** The environment a line is of ("E\tTIME\tNAME\t..."); none for a line of another form. */
    private static Optional<String> nameOf(String line) {
        if (line.length() < 4 || line.charAt(1) != '\t' || "EPU".indexOf(line.charAt(0)) < 0) {
            return Optional.empty();
        }
        int timeEnd = line.indexOf('\t', 2);
        if (timeEnd < 0) {
            return Optional.empty();
        }
        int nameEnd = line.indexOf('\t', timeEnd + 1);
        return Optional.of(unescape(line.substring(timeEnd + 1, nameEnd < 0 ? line.length() : nameEnd)));
    }

    /** The first line: format, version, the folder time of the last compaction and the compacted part's size. */
    private record Header(int length, long folderTime, long compactedSize) {}

    private static Optional<Header> header(FileChannel channel) throws IOException {
        ByteBuffer start = ByteBuffer.allocate(128);
        channel.position(0);
        while (start.hasRemaining() && channel.read(start) > 0) {
            // up to 128 bytes: the header is shorter
        }
        String text = new String(start.array(), 0, start.position(), StandardCharsets.UTF_8);
        int end = text.indexOf('\n');
        if (end < 0) {
            return Optional.empty();
        }
        String[] head = text.substring(0, end).split("\t", -1);
        if (head.length != 4 || !head[0].equals(HEADER) || !head[1].equals(VERSION)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Header(end + 1, Long.parseLong(head[2]), Long.parseLong(head[3])));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The header's compacted size and the last line's folder time, read from the file's ends. */
    private record Tail(long folderTime, long compactedSize) {}

    private Optional<Tail> tail() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Optional<Header> header = header(channel);
            if (header.isEmpty()) {
                return Optional.empty();
            }
            long size = channel.size();
            // The last line: read back from the end until a line break before it is found.
            for (int window = 4096; ; window *= 2) {
                long from = Math.max(0, size - window);
                ByteBuffer buffer = ByteBuffer.allocate((int) (size - from));
                channel.position(from);
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    // to the end
                }
                byte[] bytes = buffer.array();
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
                long time = fields[0].equals(HEADER) ? header.get().folderTime() : Long.parseLong(fields[1]);
                return Optional.of(new Tail(time, header.get().compactedSize()));
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /** Rewrites the index from its own lines, as of {@code time} (the lines that say "read the record" stay so). */
    private void compact(long time) throws IOException {
        List<String> lines = new ArrayList<>();
        if (merged(line -> lines.add(withoutTime(line)))) {
            rewrite(lines, time);
        }
    }

    /**
     * Replaces the index with a header and {@code lines} (each without its folder time) in name order, all of time
     * {@code time}. The header's size field has a fixed width, so the compacted part's size it gives is exact.
     */
    private void rewrite(List<String> lines, long time) throws IOException {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (String line : lines) {
            sorted.put(nameOf(withTime(line, 0)).orElseThrow(), line);
        }
        StringBuilder body = new StringBuilder();
        for (String line : sorted.values()) {
            body.append(line, 0, 2).append(time).append(line, 1, line.length()).append('\n');
        }
        byte[] bodyBytes = body.toString().getBytes(StandardCharsets.UTF_8);
        String prefix = HEADER + "\t" + VERSION + "\t" + time + "\t";
        long total = prefix.length() + 20 + 1 + bodyBytes.length;
        byte[] head = (prefix + String.format(java.util.Locale.ROOT, "%020d", total) + "\n")
                .getBytes(StandardCharsets.UTF_8);
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

    /** Appends a line with the folder's time, and returns that time. */
    private long append(String lineWithoutTime) throws IOException {
        long time = folderTime();
        String line = withTime(lineWithoutTime, time);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        return time;
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
        return new EnvironmentSummary(f[2], Long.parseLong(f[3]), f[4], f[5], keyword(KINDS, f[6]),
                keyword(STATUSES, f[7]), "y".equals(f[8]), Optional.ofNullable(f[9]), instant(f[10]), instant(f[11]),
                Optional.ofNullable(f[12]), Optional.ofNullable(f[13]), states(f[14]));
    }

    private static final Map<String, EnvironmentKind> KINDS = new java.util.HashMap<>();
    private static final Map<String, EnvironmentStatus> STATUSES = new java.util.HashMap<>();

    static {
        for (EnvironmentKind kind : EnvironmentKind.values()) {
            KINDS.put(kind.keyword(), kind);
        }
        for (EnvironmentStatus status : EnvironmentStatus.values()) {
            STATUSES.put(status.keyword(), status);
        }
    }

    private static <T> T keyword(Map<String, T> values, String keyword) {
        T value = values.get(keyword);
        if (value == null) {
            throw new IllegalArgumentException("unknown keyword '" + keyword + "'");
        }
        return value;
    }

    /**
     * An instant as {@link Instant#toString} writes it ("2026-11-22T10:00:00Z", perhaps with a fraction), read without
     * the general parser, which costs more than the rest of a line; anything else goes to {@link Instant#parse}.
     */
    static Optional<Instant> instant(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int length = text.length();
        if (length >= 20 && text.charAt(4) == '-' && text.charAt(7) == '-' && text.charAt(10) == 'T'
                && text.charAt(13) == ':' && text.charAt(16) == ':' && text.charAt(length - 1) == 'Z'
                && (length == 20 || text.charAt(19) == '.' && length <= 31 && length > 21)) {
            try {
                long day = java.time.LocalDate.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10))
                        .toEpochDay();
                int hour = digits(text, 11, 13);
                int minute = digits(text, 14, 16);
                int second = digits(text, 17, 19);
                if (hour < 24 && minute < 60 && second < 60) {
                    int nanos = 0;
                    if (length > 20) {
                        String fraction = text.substring(20, length - 1);
                        nanos = digits(fraction, 0, fraction.length());
                        for (int i = fraction.length(); i < 9; i++) {
                            nanos *= 10;
                        }
                    }
                    return Optional.of(Instant.ofEpochSecond(day * 86_400 + hour * 3_600L + minute * 60L + second,
                            nanos));
                }
            } catch (java.time.DateTimeException | NumberFormatException e) {
                // not a date after all: the general parser says why
            }
        }
        return Optional.of(Instant.parse(text));
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException(text);
            }
            value = value * 10 + (c - '0');
        }
        return value;
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

    /** Lines of UTF-8 bytes split at '\n', up to a limit; a last line without its '\n' is left out. */
    private static final class LineReader {
        private final InputStream in;
        private final byte[] buffer = new byte[64 * 1024];
        private int position;
        private int limit;
        private byte[] pending = new byte[256];
        /** Bytes left to read. */
        private long left;

        LineReader(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        String next() {
            int length = 0;
            while (true) {
                if (position == limit) {
                    try {
                        limit = left <= 0 ? -1 : in.read(buffer, 0, (int) Math.min(buffer.length, left));
                        left -= Math.max(limit, 0);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    position = 0;
                    if (limit <= 0) {
                        limit = 0;
                        return null; // a last line without its '\n' is a write still going on: not taken
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
    }
}
