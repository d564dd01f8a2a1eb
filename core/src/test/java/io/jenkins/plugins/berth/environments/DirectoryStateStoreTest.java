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
        return new EnvironmentRecord(EnvironmentRecord.SCHEMA_VERSION, "shop-main", "shop", "main",
                Optional.of("abc123"), status, Optional.empty(), at, at.plusSeconds(5),
                Optional.of(new RunRecord("up", at, Optional.of(at.plusSeconds(5)), Optional.of(StepStatus.SUCCEEDED),
                        List.of(step, skipped))),
                List.of(new StackRecord("app", false, "http", "shop/app/shop-main", "shop-main/stacks/app")),
                java.util.Map.of("web", "127.0.0.1:5000/shop/web@sha256:" + "a".repeat(64)));
    }

    @Test
    void aRecordReadsBackAsWrittenAndNoTemporaryFileStays() throws Exception {
        DirectoryStateStore store = new DirectoryStateStore(folder.resolve("state"));
        assertThat(store.read("shop-main")).isEmpty();
        store.write(record(EnvironmentStatus.CREATING));
        store.write(record(EnvironmentStatus.READY));
        assertThat(store.read("shop-main")).hasValue(record(EnvironmentStatus.READY));
        try (Stream<Path> files = Files.list(folder.resolve("state"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("shop-main.json");
        }
        assertThat(Files.readString(store.file("shop-main"))).contains("\"schema_version\" : 1",
                "\"status\" : \"ready\"", "\"status\" : \"failed-continued\"", "\"created_at\" : \"2026-11-22T10:00:00Z\"");
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
}
