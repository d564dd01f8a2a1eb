package io.jenkins.plugins.berth.environments;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The records index ({@link RecordsIndex}) through the store that keeps it: what {@code envs}, {@code reap} and the
 * Environments page read must always be what the records say, whoever changed them and however.
 */
class RecordsIndexTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path folder;

    private static EnvironmentRecord record(String name, String branch) {
        return EnvironmentRecord.create(name, "shop", branch, EnvironmentKind.BRANCH, false, AT)
                .withDeploy(Optional.of("abc123"), Optional.of(Duration.ofDays(3)), AT)
                .withStatus(EnvironmentStatus.READY, AT)
                .withRun(new RunRecord("up", AT, Optional.of(AT.plusSeconds(5)), Optional.of(StepStatus.SUCCEEDED),
                        List.of(), Optional.of("https://ci.example.com/job/shop/7/")),
                        Optional.of("https://" + name + ".example.com/"), AT)
                .withStacks(List.of(new StackRecord("app", false, "http", "shop/app/" + name, "w/app"),
                        new StackRecord("db", true, "s3", "shop/db", "w/db")), AT);
    }

    /** What the records themselves say, read one by one: the index must always agree. */
    private static List<EnvironmentSummary> fromRecords(DirectoryStateStore store) throws Exception {
        return store.records().readable().stream().map(EnvironmentRecord::summary).toList();
    }

    private DirectoryStateStore store() {
        return new DirectoryStateStore(folder.resolve("state"));
    }

    /** shop-a written and listed (so the index is built), then shop-b written (so it is kept by a write). */
    private DirectoryStateStore indexedThenWritten() throws Exception {
        DirectoryStateStore store = store();
        store.write(record("shop-a", "a"));
        store.summaries();
        store.write(record("shop-b", "b"));
        return store;
    }

    /** Writes a record file as something other than the store would (a copy, an older Berth, a hand). */
    private void writeBehindTheStoresBack(EnvironmentRecord record) throws Exception {
        Path temporary = folder.resolve(record.name() + ".json");
        Files.write(temporary, Json.mapper().writeValueAsBytes(record.withRevision(record.revision() + 1)));
        Files.move(temporary, folder.resolve("state").resolve(record.name() + ".json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Makes a record unreadable without changing the folder's time: a listing that still reads it used the index. */
    private static void spoilInPlace(DirectoryStateStore store, String environment) throws Exception {
        Files.write(store.file(environment), "{not json".getBytes(StandardCharsets.UTF_8), StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    @Test
    void aMissingIndexIsBuiltFromTheRecordsAndThenKeptByEachWrite() throws Exception {
        DirectoryStateStore store = store();
        store.write(record("shop-a", "a"));
        store.write(record("shop-b", "b"));
        assertThat(store.indexFile()).doesNotExist();

        assertThat(store.summaries().readable()).isEqualTo(fromRecords(store));
        assertThat(store.indexFile()).exists();

        EnvironmentRecord b = store.read("shop-b").orElseThrow();
        store.write(b.withStatus(EnvironmentStatus.FAILED, AT.plusSeconds(60)).withProtected(true, AT));
        store.write(record("shop-c", "c"));
        List<EnvironmentSummary> listed = store.summaries().readable();
        assertThat(listed).isEqualTo(fromRecords(store));
        assertThat(listed).extracting(EnvironmentSummary::name).containsExactly("shop-a", "shop-b", "shop-c");
        assertThat(listed.get(1).status()).isEqualTo(EnvironmentStatus.FAILED);
        assertThat(listed.get(1).isProtected()).isTrue();
        assertThat(listed.get(0).httpStates()).isEqualTo(Map.of("app", "shop/app/shop-a"));
    }

    /** Proof that a listing read the index, not the records: a record spoilt in place (no folder change) is not seen. */
    @Test
    void aCurrentIndexIsReadInsteadOfTheRecords() throws Exception {
        DirectoryStateStore store = indexedThenWritten();
        spoilInPlace(store, "shop-a");

        StateStore.Summaries summaries = store.summaries();
        assertThat(summaries.unreadable()).isEmpty();
        assertThat(summaries.readable()).extracting(EnvironmentSummary::name).containsExactly("shop-a", "shop-b");
    }

    @Test
    void recordsAddedReplacedOrRemovedBehindTheStoresBackRebuildTheIndex() throws Exception {
        DirectoryStateStore store = store();
        store.write(record("shop-a", "a"));
        store.write(record("shop-b", "b"));
        store.summaries();

        writeBehindTheStoresBack(record("shop-c", "c"));
        assertThat(store.summaries().readable()).extracting(EnvironmentSummary::name)
                .containsExactly("shop-a", "shop-b", "shop-c");

        writeBehindTheStoresBack(store.read("shop-a").orElseThrow().withStatus(EnvironmentStatus.GONE, AT));
        assertThat(store.summaries().readable().get(0).status()).isEqualTo(EnvironmentStatus.GONE);

        Files.delete(store.file("shop-b"));
        assertThat(store.summaries().readable()).isEqualTo(fromRecords(store))
                .extracting(EnvironmentSummary::name).containsExactly("shop-a", "shop-c");
    }

    /** A writer that died after its record and before its line: the folder changed, the index did not. */
    @Test
    void aWriteTheIndexMissedIsFoundAfterLaterWritesToo() throws Exception {
        DirectoryStateStore store = store();
        store.write(record("shop-a", "a"));
        store.summaries();
        writeBehindTheStoresBack(store.read("shop-a").orElseThrow().withStatus(EnvironmentStatus.FAILED, AT));
        // A later write through the store must not make the stale index look current.
        store.write(record("shop-b", "b"));
        assertThat(store.summaries().readable()).isEqualTo(fromRecords(store));
        assertThat(store.summaries().readable().get(0).status()).isEqualTo(EnvironmentStatus.FAILED);
    }

    @Test
    void aHalfWrittenOrForeignIndexIsRebuilt() throws Exception {
        DirectoryStateStore store = indexedThenWritten();
        Files.writeString(store.indexFile(), "E\t12", StandardOpenOption.APPEND); // a line without its end
        assertThat(store.summaries().readable()).isEqualTo(fromRecords(store)).hasSize(2);

        Files.writeString(store.indexFile(), "something else entirely\n");
        assertThat(store.summaries().readable()).isEqualTo(fromRecords(store)).hasSize(2);

        Files.delete(store.indexFile());
        assertThat(store.summaries().readable()).isEqualTo(fromRecords(store)).hasSize(2);
    }

    @Test
    void anUnreadableRecordIsListedApartAsFromTheRecords() throws Exception {
        DirectoryStateStore store = store();
        store.write(record("shop-a", "a"));
        Files.writeString(folder.resolve("state/shop-bad.json"), "{\"schema_version\": 99}");
        StateStore.Summaries rebuilt = store.summaries();
        assertThat(rebuilt.readable()).extracting(EnvironmentSummary::name).containsExactly("shop-a");
        assertThat(rebuilt.unreadable()).extracting(StateStore.Unreadable::message).singleElement().asString()
                .contains("shop-bad.json").contains("newer Berth");
        // The same from the index, once current.
        assertThat(store.summaries()).isEqualTo(rebuilt);
    }

    @Test
    void valuesWithTabsLineBreaksBackslashesAndDashesReadBackAsWritten() throws Exception {
        DirectoryStateStore store = store();
        store.write(record("shop-a", "-"));
        store.summaries();
        RunRecord down = new RunRecord("down", AT, Optional.of(AT), Optional.of(StepStatus.SUCCEEDED), List.of(),
                Optional.of("-alice\\bob\t(pid 1)"), Optional.of("line one\nline two\r\n\\t not a tab"));
        store.write(record("shop-b", "feature/\ttab\\").withRun(down, Optional.of("-"), AT));
        List<EnvironmentSummary> listed = store.summaries().readable();
        assertThat(listed).isEqualTo(fromRecords(store));
        assertThat(listed.get(0).branch()).isEqualTo("-");
        assertThat(listed.get(1).teardownStagesSkipped()).hasValue("line one\nline two\r\n\\t not a tab");
        assertThat(listed.get(1).lastRunBy()).hasValue("-alice\\bob\t(pid 1)");
        assertThat(listed.get(1).url()).hasValue("-");
    }

    /** The index's own reading of instants agrees with Instant.parse, fractions and odd years included. */
    @Test
    void instantsReadBackExactly() {
        for (String text : List.of("2026-11-22T10:00:00Z", "2026-11-22T10:00:00.1Z", "2026-11-22T10:00:00.120Z",
                "2026-12-02T06:02:53.760299039Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59.999999999Z",
                "+12026-01-01T00:00:00Z")) {
            assertThat(RecordsIndex.instant(text)).as(text).hasValue(Instant.parse(text));
        }
        for (Instant now = Instant.parse("2026-01-01T00:00:00Z"); now.isBefore(Instant.parse("2027-01-01T00:00:00Z"));
                now = now.plusSeconds(86_399).plusNanos(7_000)) {
            assertThat(RecordsIndex.instant(now.toString())).hasValue(now);
        }
    }

    /** A new environment's run lock, a new kept folder: Berth's own changes of the folder keep the index current. */
    @Test
    void berthsOwnNewFilesKeepTheIndexCurrent() throws Exception {
        DirectoryStateStore store = store();
        store.write(record("shop-a", "a"));
        store.summaries();
        try (StateStore.Lock lock = store.lock("shop-new", "test", holder -> {})) {
            store.keep("shop-new", Map.of("berth.yml", "version: 1\n".getBytes(StandardCharsets.UTF_8)));
        }
        spoilInPlace(store, "shop-a");
        assertThat(store.summaries().unreadable()).as("read from the index, not rebuilt").isEmpty();
    }

    @Test
    void anIndexGrownByManyWritesIsCompactedAndStillRight() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder.resolve("state"), new StateFileWriter(), 2_000);
        store.write(record("shop-a", "a"));
        store.write(record("shop-b", "b"));
        store.summaries();
        long compacted = Files.size(store.indexFile());
        for (int i = 0; i < 60; i++) {
            EnvironmentRecord a = store.read("shop-a").orElseThrow();
            store.write(a.withStatus(i % 2 == 0 ? EnvironmentStatus.FAILED : EnvironmentStatus.READY, AT));
        }
        assertThat(Files.size(store.indexFile())).isLessThan(3 * compacted + 2_000 + 1_000);
        assertThat(store.summaries().readable()).isEqualTo(fromRecords(store));
        assertThat(store.summaries().readable().get(0).revision()).isEqualTo(61);
    }

    /** Threads of this process and another process write records of one folder at once; nothing is lost. */
    @Test
    void concurrentWritersLoseNoLine() throws Exception {
        DirectoryStateStore store = store();
        store.write(record("shop-shared", "shared"));
        store.summaries();
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Writer.class.getName(), folder.resolve("state").toString(),
                "shop-proc", "40").redirectErrorStream(true).start();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String prefix = "shop-thread" + t;
            done.add(threads.submit(() -> {
                Writer.write(new DirectoryStateStore(folder.resolve("state")), prefix, 20);
                return null;
            }));
        }
        for (Future<?> each : done) {
            each.get();
        }
        threads.shutdown();
        String output = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(other.waitFor()).as(output).isZero();

        List<EnvironmentSummary> listed = store.summaries().readable();
        assertThat(listed).isEqualTo(fromRecords(store)).hasSize(1 + 4 * 20 + 40);
        // Every writer also bumped the shared record once per write: its revision counts them all.
        assertThat(listed.stream().filter(s -> s.name().equals("shop-shared")).findFirst().orElseThrow().revision())
                .isEqualTo(1 + 4 * 20 + 40);
        // The index was current all along: a read now needs no rebuild.
        spoilInPlace(store, "shop-shared");
        assertThat(store.summaries().unreadable()).isEmpty();
    }

    /** The other process of {@link #concurrentWritersLoseNoLine}: FOLDER PREFIX COUNT. */
    public static final class Writer {
        public static void main(String[] args) throws Exception {
            write(new DirectoryStateStore(Path.of(args[0])), args[1], Integer.parseInt(args[2]));
        }

        static void write(DirectoryStateStore store, String prefix, int count) throws Exception {
            for (int i = 0; i < count; i++) {
                store.write(record(prefix + "-" + i, "b" + i));
                store.update("shop-shared", stored -> stored.orElseThrow().withStatus(EnvironmentStatus.READY, AT));
            }
        }
    }
}
