package io.jenkins.plugins.berth.environments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStateStoreTest {

    @TempDir
    Path folder;

    private static EnvironmentRecord record(EnvironmentStatus status) {
        Instant at = Instant.parse("2026-11-22T10:00:00Z");
        StepResult step = new StepResult("stages", "migrate", "stage", StepStatus.FAILED_CONTINUED, Optional.of(at), 1234,
                Optional.of(2), Optional.of("its script exited with code 2"));
        StepResult skipped = new StepResult("stages", "notify", "stage", StepStatus.SKIPPED, Optional.empty(), 0,
                Optional.empty(), Optional.empty());
        return EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH, false, at)
                .withDeploy(Optional.of("abc123"), Optional.of(java.time.Duration.ofDays(3)), at)
                .withStatus(status, at.plusSeconds(5))
                .withRun(new RunRecord("up", at, Optional.of(at.plusSeconds(5)), Optional.of(StepStatus.SUCCEEDED),
                        List.of(step, skipped), Optional.of("https://ci.example.com/job/shop/7/")), Optional.empty(), at.plusSeconds(5))
                .withStacks(List.of(new StackRecord("app", false, "http", "shop/app/shop-main", "shop-main/stacks/app")),
                        at.plusSeconds(5))
                .withImages(java.util.Map.of("web", "127.0.0.1:5000/shop/web@sha256:" + "a".repeat(64)), at.plusSeconds(5));
    }

    /** A state folder inside a repository may hold a committed link at kept/: Berth neither writes nor deletes through it. */
    @Test
    void keptFilesAreNeverWrittenThroughALink(@TempDir Path elsewhere) throws Exception {
        Files.writeString(elsewhere.resolve("precious"), "keep me");
        Files.createDirectories(elsewhere.resolve("shop-main"));
        Files.writeString(elsewhere.resolve("shop-main/old"), "keep me too");
        Files.createDirectories(folder.resolve("state"));
        Files.createSymbolicLink(folder.resolve("state/kept"), elsewhere);
        DirectoryStateStore store = new DirectoryStateStore(folder.resolve("state"));
        assertThatThrownBy(() -> store.keep("shop-main", java.util.Map.of("berth.yml", "version: 1\n".getBytes())))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("it is a symbolic link");
        try (Stream<Path> files = Files.walk(elsewhere)) {
            assertThat(files.map(elsewhere::relativize).map(Path::toString))
                    .containsExactlyInAnyOrder("", "precious", "shop-main", "shop-main/old");
        }
    }

    @Test
    void aRecordReadsBackAsWrittenAndNoTemporaryFileStays() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder.resolve("state"));
        assertThat(store.read("shop-main")).isEmpty();
        EnvironmentRecord first = store.write(record(EnvironmentStatus.CREATING));
        assertThat(first.revision()).isEqualTo(1);
        EnvironmentRecord second = store.write(record(EnvironmentStatus.READY).withRevision(1));
        assertThat(second.revision()).isEqualTo(2);
        assertThat(store.read("shop-main")).hasValue(record(EnvironmentStatus.READY).withRevision(2));
        try (Stream<Path> files = Files.list(folder.resolve("state"))) {
            // The record, the lock that serializes its writers, the records index's lock and folder; no temporary file.
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("shop-main.json",
                    ".shop-main.write.lock", ".index.lock", "index");
        }
        assertThat(Files.readString(store.file("shop-main"))).contains("\"schema_version\" : 1",
                "\"status\" : \"ready\"", "\"status\" : \"failed-continued\"", "\"created_at\" : \"2026-11-22T10:00:00Z\"",
                "\"kind\" : \"branch\"", "\"protected\" : false", "\"expires_at\" : \"2026-11-25T10:00:00Z\"",
                "\"revision\" : 2");
    }

    @Test
    void twoWritersCannotLoseEachOthersUpdate() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder);
        EnvironmentRecord written = store.write(record(EnvironmentStatus.READY));
        // Two writers read revision 1; the first write wins, the second is refused rather than undoing it.
        store.write(written.withProtected(true, Instant.parse("2026-11-22T11:00:00Z")));
        assertThatThrownBy(() -> store.write(written.withStatus(EnvironmentStatus.FAILED, Instant.now())))
                .isInstanceOf(ConcurrentUpdateException.class)
                .hasMessageStartingWith("environment shop-main was changed by another writer (revision 2, this change"
                        + " was based on revision 1)");
        // update() reads, changes and writes in one step: both changes are kept.
        EnvironmentRecord updated = store.update("shop-main", stored -> stored.orElseThrow()
                .withStatus(EnvironmentStatus.FAILED, Instant.now()));
        assertThat(updated.isProtected()).isTrue();
        assertThat(updated.status()).isEqualTo(EnvironmentStatus.FAILED);
        assertThat(updated.revision()).isEqualTo(3);
        // Many concurrent updates: none lost.
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int n = i;
            threads.add(new Thread(() -> {
                try {
                    for (int j = 0; j < 10; j++) {
                        String image = "image" + n + "-" + j;
                        store.update("shop-main", stored -> stored.orElseThrow().withImages(
                                merged(stored.orElseThrow().images(), image), Instant.now()));
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        EnvironmentRecord last = store.read("shop-main").orElseThrow();
        assertThat(last.images()).hasSize(81);
        assertThat(last.revision()).isEqualTo(83);
    }

    private static java.util.Map<String, String> merged(java.util.Map<String, String> images, String name) {
        java.util.Map<String, String> all = new java.util.HashMap<>(images);
        all.put(name, "127.0.0.1:5000/shop/" + name + "@sha256:" + "b".repeat(64));
        return all;
    }

    @Test
    void theLockFileNamesItsHolderWhileHeldAndAWaiterIsToldWho() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder);
        StateStore.Attempt first = store.tryLock("shop-main", "alice's run");
        assertThat(first).isInstanceOf(StateStore.Acquired.class);
        assertThat(store.tryLock("shop-main", "bob's run")).isEqualTo(new StateStore.Busy("alice's run"));
        assertThat(store.tryLock("shop-other", "bob's run")).isInstanceOf(StateStore.Acquired.class);
        java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread waiter = new Thread(() -> {
            try (StateStore.Lock lock = store.lock("shop-main", "carol's run", told::add)) {
                told.add("got it");
            } catch (Exception e) {
                told.add("failed: " + e);
            }
        });
        waiter.start();
        while (told.isEmpty()) {
            Thread.sleep(10);
        }
        ((StateStore.Acquired) first).lock().close();
        waiter.join(10_000);
        assertThat(told).containsExactly("alice's run", "got it");
    }

    @Test
    void aRecordFromANewerBerthIsRefusedWithWhatToDo() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder);
        Files.writeString(store.file("shop-main"), "{\"schema_version\": 2, \"name\": \"shop-main\", \"future\": true}");
        assertThatThrownBy(() -> store.read("shop-main")).isInstanceOf(StateException.class)
                .hasMessageEndingWith("shop-main.json: written by a newer Berth (schema version 2; this Berth reads up"
                        + " to 1). Upgrade Berth.");
    }

    @Test
    void somethingElseIsRefusedNamingTheFile() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder);
        Files.writeString(store.file("a"), "not json");
        Files.writeString(store.file("b"), "{\"name\": \"b\"}");
        Files.writeString(store.file("c"), "{\"schema_version\": 1, \"name\": 3}");
        assertThatThrownBy(() -> store.read("a")).isInstanceOf(StateException.class).hasMessageContaining("a.json: cannot be read");
        assertThatThrownBy(() -> store.read("b")).isInstanceOf(StateException.class)
                .hasMessageEndingWith("b.json: not a Berth environment record (no schema_version)");
        assertThatThrownBy(() -> store.read("c")).isInstanceOf(StateException.class).hasMessageContaining("c.json: cannot be read");
    }

    @Test
    void namesThatAreNotEnvironmentNamesAreRefusedBeforeAnyFileIsTouched(@org.junit.jupiter.api.io.TempDir Path folder) {
        DirectoryStateStore store = new DirectoryStateStore(folder.resolve("state"));
        for (String name : List.of("../escape", "a/b", "", "UPPER", "-dash", "x".repeat(64))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.read(name)).as(name)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an environment name");
        }
        assertThat(folder.resolve("state")).doesNotExist();
    }

    /** One bad record is listed apart with a message naming its file; the others read as ever. */
    @Test
    void aBadRecordIsSetApartNamingItsFileAndTheOthersStillRead() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder);
        store.write(record(EnvironmentStatus.READY));
        byte[] good = Files.readAllBytes(store.file("shop-main"));
        Files.write(store.file("shop-truncated"), java.util.Arrays.copyOf(good, good.length / 2));
        Files.write(store.file("shop-binary"), new byte[] {'{', (byte) 0xff, (byte) 0xfe, '"', '}'});
        Files.createDirectory(store.file("shop-folder"));
        Files.writeString(folder.resolve("Not_A_Name.json"), "{}");
        // Unreadable for anyone but root; root reads it, and then it is a good record like the others.
        Path locked = store.file("shop-locked");
        Files.write(locked, new String(good, java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"shop-main\"", "\"shop-locked\"").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(locked, java.util.Set.of());
        boolean rootReads = Files.isReadable(locked);

        StateStore.Records records = store.records();

        assertThat(records.readable()).extracting(EnvironmentRecord::name)
                .containsExactlyElementsOf(rootReads ? List.of("shop-locked", "shop-main") : List.of("shop-main"));
        List<String> expected = new java.util.ArrayList<>(List.of(
                folder.resolve("Not_A_Name.json") + ": not the record of an environment",
                store.file("shop-binary") + ": cannot be read as an environment record: Invalid UTF-8",
                store.file("shop-folder") + ": cannot be read: Is a directory",
                store.file("shop-truncated") + ": cannot be read as an environment record: Unexpected end-of-input"));
        if (!rootReads) {
            expected.add(3, locked + ": cannot be read: permission denied");
        }
        assertThat(records.unreadable()).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            StateStore.Unreadable unreadable = records.unreadable().get(i);
            assertThat(unreadable.message()).startsWith(expected.get(i)).doesNotContain("\n", "\r");
            assertThat(unreadable.message()).startsWith(unreadable.file() + ": ");
        }
        // all() is for callers that must see every record: it refuses, naming the first bad one.
        assertThatThrownBy(store::all).isInstanceOf(StateException.class)
                .hasMessage(records.unreadable().get(0).message());
        assertThatThrownBy(() -> store.read("shop-folder")).isInstanceOf(java.io.IOException.class)
                .hasMessage(store.file("shop-folder") + ": cannot be read: Is a directory");
    }

    @Test
    void theRecordsOfSeveralStoresComeStoreByStore() throws Exception {
        DirectoryStateStore one = new DirectoryStateStore(folder.resolve("one"));
        DirectoryStateStore two = new DirectoryStateStore(folder.resolve("two"));
        one.write(record(EnvironmentStatus.READY));
        Files.writeString(one.file("shop-bad"), "{");
        two.write(record(EnvironmentStatus.FAILED));
        StateStore.Records records = StateStore.Records.of(List.of(one, two, new DirectoryStateStore(folder.resolve("none"))));
        assertThat(records.readable()).extracting(EnvironmentRecord::status)
                .containsExactly(EnvironmentStatus.READY, EnvironmentStatus.FAILED);
        assertThat(records.unreadable()).extracting(StateStore.Unreadable::file)
                .containsExactly(one.file("shop-bad").toString());
    }

    /** {@code /dev/full} fails every write with ENOSPC, as a full disk does: the store writes its temporary files there. */
    private static StateFileWriter fullDisk() {
        return new StateFileWriter(file -> {
            Files.createFile(file);
            return java.nio.channels.FileChannel.open(Path.of("/dev/full"), java.nio.file.StandardOpenOption.WRITE);
        });
    }

    @Test
    void aFullDiskNamesTheRecordAndItsFileAndLeavesThePreviousRecord() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder);
        EnvironmentRecord previous = store.write(record(EnvironmentStatus.READY));
        byte[] before = Files.readAllBytes(store.file("shop-main"));
        DirectoryStateStore full = new DirectoryStateStore(folder, fullDisk());

        assertThatThrownBy(() -> full.update("shop-main", stored -> stored.orElseThrow()
                .withStatus(EnvironmentStatus.DEPLOYING, Instant.now())))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage("cannot write the record of environment shop-main to " + store.file("shop-main")
                        + ": No space left on device");

        assertThat(Files.readAllBytes(store.file("shop-main"))).isEqualTo(before);
        assertThat(store.read("shop-main")).hasValue(previous);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("shop-main.json",
                    ".shop-main.write.lock", ".index.lock", "index");
        }
        // The next run, with room on the disk again, carries on from the previous record.
        assertThat(store.update("shop-main", stored -> stored.orElseThrow()
                .withStatus(EnvironmentStatus.DEPLOYING, Instant.now())).revision()).isEqualTo(previous.revision() + 1);
    }

    @Test
    void aFullDiskWhileKeepingFilesNamesTheFileAndKeepsWhatWasKeptBefore() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder);
        store.keep("shop-main", java.util.Map.of("berth.yml", "version: 1\n".getBytes()));
        DirectoryStateStore full = new DirectoryStateStore(folder, fullDisk());

        assertThatThrownBy(() -> full.keep("shop-main", java.util.Map.of("berth.yml", "version: 1 # new\n".getBytes())))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage("cannot write the kept file berth.yml of environment shop-main to "
                        + folder.resolve("kept/.shop-main.next/berth.yml") + ": No space left on device");

        assertThat(store.keptFolder("shop-main").resolve("berth.yml")).hasContent("version: 1");
        try (Stream<Path> kept = Files.list(folder.resolve("kept"))) {
            assertThat(kept.map(p -> p.getFileName().toString())).containsExactly("shop-main");
        }
    }

    /** Every step of a walk keeps the same files: the second keep writes nothing; a change still replaces them all. */
    @Test
    void keepingTheSameFilesAgainWritesNothingAndAChangeReplacesThem() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder);
        java.util.Map<String, byte[]> files = java.util.Map.of("berth.yml", "version: 1\n".getBytes(),
                "ops/stop.sh", "echo stop\n".getBytes());
        store.keep("shop-main", files);
        Path kept = store.keptFolder("shop-main");
        Object before = Files.readAttributes(kept, java.nio.file.attribute.BasicFileAttributes.class).fileKey();

        store.keep("shop-main", files);
        assertThat(Files.readAttributes(kept, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .isEqualTo(before);

        store.keep("shop-main", java.util.Map.of("berth.yml", "version: 1 # new\n".getBytes()));
        assertThat(Files.readAttributes(kept, java.nio.file.attribute.BasicFileAttributes.class).fileKey())
                .isNotEqualTo(before);
        assertThat(kept.resolve("berth.yml")).hasContent("version: 1 # new");
        assertThat(kept.resolve("ops/stop.sh")).doesNotExist();
        // A file of the same bytes in place of a kept one that went missing is kept again.
        Files.delete(kept.resolve("berth.yml"));
        store.keep("shop-main", java.util.Map.of("berth.yml", "version: 1 # new\n".getBytes()));
        assertThat(kept.resolve("berth.yml")).hasContent("version: 1 # new");
    }
}
