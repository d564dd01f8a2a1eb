package io.jenkins.plugins.berth.teardown;

import io.jenkins.plugins.berth.LogLines;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.terraform.Destroyer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Teardown with real bash, from the files the last deploy kept, with the branch's working copy gone. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TeardownTest {
    private static final String SECRET = "s3cr3t'\"$;`x`";

    @TempDir
    Path folder;

    private Path repo;
    private Path out;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void repository() throws Exception {
        repo = folder.resolve("repo");
        out = folder.resolve("out");
        Files.createDirectories(repo.resolve("scripts"));
        Files.createDirectories(out);
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                environment: { ttl: 1h }
                variables: { GREETING: "bye ${BERTH_ENVIRONMENT}", OUT: "%s" }
                secrets: { TOKEN: token }
                stages:
                  - name: hold
                    run: |
                      touch "$OUT/started"
                      while [ -f "$OUT/hold" ]; do sleep 0.05; done
                teardown:
                  - { name: flaky, script: scripts/cleanup.sh }
                  - name: report
                    run: |
                      if [ -f "$OUT/break-report" ]; then echo "report service down" >&2; exit 4; fi
                      echo "$GREETING token=$TOKEN" >> "$OUT/report"
                      echo "reported with $TOKEN"
                      while [ -f "$OUT/hold-teardown" ]; do sleep 0.05; done
                """.formatted(out));
        // Fails on its first attempt: a transient failure that the retry gets past.
        Files.writeString(repo.resolve("scripts/cleanup.sh"), """
                if [ ! -f "$OUT/attempted" ]; then touch "$OUT/attempted"; echo "registry busy" >&2; exit 1; fi
                echo cleaned >> "$OUT/cleaned"
                """);
    }


    private Path states() {
        return repo.resolve(".berth/state");
    }

    private void up() throws Exception {
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");
        assertThat(Engine.builder().runsElsewhere(io.jenkins.plugins.berth.run.Feature.TEARDOWN)
                .build(new LocalCommandRunner(repo), new DirectoryStateStore(states()), LogLines.into(log))
                .up(file, RepositoryFiles.of(repo), new UpRequest("main", Optional.of("abc"), "repo",
                        SecretSource.of(Map.of("token", SECRET)), 1)).succeeded()).isTrue();
    }

    private Teardown teardown(List<String> lines) {
        DirectoryStateStore state = new DirectoryStateStore(states());
        Destroyer destroyer = new Destroyer(states(), state, new LocalCommandRunner(repo), LogLines.into(lines), List.of(),
                Clock.systemUTC());
        return new Teardown(destroyer, state, state::keptFolder, LocalCommandRunner::new, Optional.empty(),
                new Retries(3, Duration.ofMillis(10)), LogLines.into(lines), Clock.systemUTC());
    }

    @Test
    void teardownStagesRunFromTheKeptFilesWithRetriesAndASecondTeardownDoesNothing() throws Exception {
        up();
        // The branch is gone: no deploy file, no scripts in the working copy.
        Files.delete(repo.resolve("berth.yml"));
        Files.delete(repo.resolve("scripts/cleanup.sh"));

        teardown(log).down("shop-main", SecretSource.of(Map.of("token", SECRET)));
        assertThat(log).anyMatch(l -> l.startsWith("WARNING: teardown stage flaky failed (attempt 1 of 3)"))
                .contains("[report] reported with ****", "INFO: Environment shop-main is gone");
        assertThat(String.join("\n", log)).doesNotContain(SECRET);
        assertThat(Files.readAllLines(out.resolve("cleaned"))).containsExactly("cleaned");
        assertThat(Files.readAllLines(out.resolve("report"))).containsExactly("bye shop-main token=" + SECRET);
        assertThat(new DirectoryStateStore(states()).read("shop-main").orElseThrow().status())
                .isEqualTo(EnvironmentStatus.GONE);

        List<String> again = new CopyOnWriteArrayList<>();
        teardown(again).down("shop-main", SecretSource.of(Map.of("token", SECRET)));
        assertThat(again).containsExactly("INFO: Environment shop-main is already gone: nothing to do");
        assertThat(Files.readAllLines(out.resolve("cleaned"))).hasSize(1);
    }

    @Test
    void aFailureThatOutlastsTheRetriesLeavesTheRecordFailedAndTheNextTeardownFinishes() throws Exception {
        up();
        Path kept = states().resolve("kept/shop-main/scripts/cleanup.sh");
        Files.writeString(kept, "echo down >&2; exit 3\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> teardown(log).down("shop-main",
                SecretSource.of(Map.of("token", SECRET)))).hasMessage("teardown stage flaky exited with code 3");
        assertThat(log).filteredOn(l -> l.startsWith("WARNING: teardown stage flaky failed")).hasSize(2);
        assertThat(new DirectoryStateStore(states()).read("shop-main").orElseThrow().status())
                .isEqualTo(EnvironmentStatus.FAILED);
        Files.writeString(kept, "echo cleaned >> \"$OUT/cleaned\"\n");
        teardown(log).down("shop-main", SecretSource.of(Map.of("token", SECRET)));
        assertThat(new DirectoryStateStore(states()).read("shop-main").orElseThrow().status())
                .isEqualTo(EnvironmentStatus.GONE);
    }

    @Test
    void aStageThatKeepsFailingIsSkippedForAReasonTheRecordKeeps() throws Exception {
        up();
        Files.writeString(states().resolve("kept/shop-main/scripts/cleanup.sh"), "echo down >&2; exit 3\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> teardown(log).down("shop-main",
                SecretSource.of(Map.of("token", SECRET)))).hasMessage("teardown stage flaky exited with code 3");

        log.clear();
        teardown(log).down("shop-main", SecretSource.of(Map.of("token", SECRET)),
                Optional.of(new SkipStages("cleanup API retired, see OPS-12")));
        assertThat(log).contains("WARNING: Skipping the teardown stages of shop-main: cleanup API retired, see OPS-12",
                "INFO: teardown stage flaky: skipped", "INFO: teardown stage report: skipped",
                "INFO: Environment shop-main is gone");
        assertThat(out.resolve("report")).doesNotExist();
        EnvironmentRecord gone = new DirectoryStateStore(states()).read("shop-main").orElseThrow();
        assertThat(gone.status()).isEqualTo(EnvironmentStatus.GONE);
        RunRecord run = gone.lastRun().orElseThrow();
        assertThat(run.command()).isEqualTo("down");
        assertThat(run.skipReason()).hasValue("cleanup API retired, see OPS-12");
        assertThat(run.by()).isPresent();
        assertThat(run.steps()).extracting(s -> s.name() + " " + s.status().keyword())
                .containsExactly("flaky skipped", "report skipped");
        assertThat(Files.readString(states().resolve("shop-main.json"))).contains(
                "\"skip_reason\" : \"cleanup API retired, see OPS-12\"");
    }

    @Test
    void aSecondTeardownGoesOnFromTheStageThatFailedWithoutRunningTheOnesBefore() throws Exception {
        up();
        Files.writeString(out.resolve("break-report"), "");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> teardown(log).down("shop-main",
                SecretSource.of(Map.of("token", SECRET)))).hasMessage("teardown stage report exited with code 4");
        RunRecord failed = new DirectoryStateStore(states()).read("shop-main").orElseThrow().lastRun().orElseThrow();
        assertThat(failed.steps()).extracting(s -> s.name() + " " + s.status().keyword() + " " + s.exitCode())
                .containsExactly("flaky succeeded Optional.empty", "report failed Optional[4]");

        Files.delete(out.resolve("break-report"));
        log.clear();
        teardown(log).down("shop-main", SecretSource.of(Map.of("token", SECRET)));
        assertThat(log).contains("INFO: stage flaky: succeeded in the earlier teardown, not run again",
                "INFO: Environment shop-main is gone");
        assertThat(Files.readAllLines(out.resolve("cleaned"))).containsExactly("cleaned");
        assertThat(Files.readAllLines(out.resolve("report"))).containsExactly("bye shop-main token=" + SECRET);
        // A deploy after a teardown starts the next teardown afresh.
        up();
        teardown(log).down("shop-main", SecretSource.of(Map.of("token", SECRET)));
        assertThat(Files.readAllLines(out.resolve("cleaned"))).hasSize(2);
    }

    @Test
    void aTeardownWaitsForARunningDeployAndASecondTeardownWaitsAndFindsNothingToDo() throws Exception {
        up();
        Files.writeString(out.resolve("hold"), "");
        Files.delete(out.resolve("started"));
        Thread deploy = new Thread(() -> {
            try {
                up();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        deploy.start();
        awaitFile(out.resolve("started"));
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        Files.writeString(out.resolve("hold-teardown"), "");
        Thread teardownOne = new Thread(() -> runQuietly(first));
        teardownOne.start();
        awaitLine(first, "Waiting: berth up of branch main");
        // The deploy ends; the first teardown goes on and holds in its report stage.
        Files.delete(out.resolve("hold"));
        deploy.join(30_000);
        awaitFile(out.resolve("report"));
        Thread teardownTwo = new Thread(() -> runQuietly(second));
        teardownTwo.start();
        awaitLine(second, "Waiting: berth down");
        Files.delete(out.resolve("hold-teardown"));
        teardownOne.join(30_000);
        teardownTwo.join(30_000);
        assertThat(first).contains("INFO: Environment shop-main is gone");
        assertThat(second).contains("INFO: Environment shop-main is already gone: nothing to do");
        assertThat(Files.readAllLines(out.resolve("report"))).hasSize(1);
    }

    private void runQuietly(List<String> lines) {
        try {
            teardown(lines).down("shop-main", SecretSource.of(Map.of("token", SECRET)));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(file)) {
            assertThat(System.nanoTime()).as("waiting for " + file).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static void awaitLine(List<String> lines, String start) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lines.stream().noneMatch(l -> l.startsWith("INFO: " + start))) {
            assertThat(System.nanoTime()).as("waiting for '" + start + "' in " + lines).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
