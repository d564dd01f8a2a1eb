package io.jenkins.plugins.berth.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.OnFailure;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.Feature;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Phase;
import io.jenkins.plugins.berth.run.RecordingLog;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.StopRequest;
import io.jenkins.plugins.berth.run.Task;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs stopped from outside (Ctrl-C, SIGTERM: a stop request) and by a stage's timeout, with real bash. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoppedRunsTest {

    @TempDir
    Path repo;

    final RecordingLog log = new RecordingLog();
    final StopRequest stops = new StopRequest();

    private DirectoryStateStore state() {
        return new DirectoryStateStore(repo.resolve(".berth/state"));
    }

    private RunResult up(String yaml, Engine.Builder plugins) throws Exception {
        Path file = repo.resolve("berth.yml");
        Files.writeString(file, yaml);
        DeployFile deployFile = DeployFiles.load(file, "berth.yml");
        return plugins.stopOn(stops).build(new LocalCommandRunner(repo), state(), log).up(deployFile,
                RepositoryFiles.of(repo), new UpRequest("main", Optional.of("abc123"), "shop", SecretSource.none(), 4));
    }

    private static List<StepStatus> statuses(RunResult result) {
        return result.steps().stream().map(StepResult::status).toList();
    }

    private void awaitFile(String name) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Files.exists(repo.resolve(name))) {
            assertThat(System.nanoTime()).as("waiting for " + name).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static ProcessHandle process(Path pidFile) throws Exception {
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim())).orElseThrow();
    }

    /** The process of {@code pidFile} has ended, or does within a few seconds. */
    private static void assertEnds(Path pidFile) throws Exception {
        ProcessHandle.of(Long.parseLong(Files.readString(pidFile).trim()))
                .ifPresent(p -> assertThat(p.onExit()).succeedsWithin(Duration.ofSeconds(15)));
    }

    @Test
    void aStopRequestStopsTheRunningStageSkipsTheRestRunsAlwaysStagesAndRecordsInterrupted() throws Exception {
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return up("""
                        version: 1
                        stages:
                          - { name: first, run: echo first }
                          - { name: hang, run: "sleep 300 & echo $! > sleep.pid; wait" }
                          - { name: later, run: touch later.ran }
                          - { name: cleanup, run: touch cleanup.ran, always: true }
                        """, Engine.builder());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        awaitFile("sleep.pid");
        Thread.sleep(100);
        ProcessHandle sleep = process(repo.resolve("sleep.pid"));
        stops.request("SIGTERM");

        RunResult result = run.get(30, TimeUnit.SECONDS);
        assertThat(statuses(result)).containsExactly(StepStatus.SUCCEEDED, StepStatus.INTERRUPTED,
                StepStatus.SKIPPED, StepStatus.SUCCEEDED);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.status()).isEqualTo(EnvironmentStatus.INTERRUPTED);
        assertThat(sleep.onExit()).succeedsWithin(Duration.ofSeconds(15));
        assertThat(repo.resolve("later.ran")).doesNotExist();
        assertThat(repo.resolve("cleanup.ran")).exists();
        assertThat(log.text()).contains("stage hang: interrupted (SIGTERM)",
                "stage later: skipped, the run was stopped (SIGTERM)");

        EnvironmentRecord record = state().read("shop-main").orElseThrow();
        assertThat(record.status()).isEqualTo(EnvironmentStatus.INTERRUPTED);
        assertThat(record.lastRun().orElseThrow().result()).contains(StepStatus.INTERRUPTED);
    }

    @Test
    void aSecondRequestStopsTheAlwaysStageToo() throws Exception {
        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(() -> {
            try {
                return up("""
                        version: 1
                        stages:
                          - { name: hang, run: "touch hang.started; sleep 300" }
                          - { name: cleanup, run: "touch cleanup.started; sleep 300", always: true }
                        """, Engine.builder());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        awaitFile("hang.started");
        stops.request("SIGINT");
        awaitFile("cleanup.started");
        stops.request("SIGINT");

        RunResult result = run.get(30, TimeUnit.SECONDS);
        assertThat(statuses(result)).containsExactly(StepStatus.INTERRUPTED, StepStatus.INTERRUPTED);
        assertThat(result.status()).isEqualTo(EnvironmentStatus.INTERRUPTED);
    }

    @Test
    void aStageThatRunsPastItsTimeoutIsStoppedAndRecordedTimedOut() throws Exception {
        long start = System.nanoTime();
        RunResult result = up("""
                version: 1
                stages:
                  - name: hang
                    timeout: 1s
                    run: "sleep 300 & echo $! > sleep.pid; wait"
                  - { name: later, run: touch later.ran }
                  - { name: cleanup, run: touch cleanup.ran, always: true }
                """, Engine.builder());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(statuses(result)).containsExactly(StepStatus.TIMED_OUT, StepStatus.SKIPPED, StepStatus.SUCCEEDED);
        assertThat(result.status()).isEqualTo(EnvironmentStatus.FAILED);
        assertThat(result.steps().get(0).error()).contains("timed out: still running after its timeout of 1s, so it was stopped");
        assertEnds(repo.resolve("sleep.pid"));
        assertThat(repo.resolve("cleanup.ran")).exists();
        assertThat(state().read("shop-main").orElseThrow().lastRun().orElseThrow().steps().get(0).status())
                .isEqualTo(StepStatus.TIMED_OUT);
    }

    @Test
    void aTimedOutStageWithOnFailureContinueLetsTheRunGoOn() throws Exception {
        RunResult result = up("""
                version: 1
                stages:
                  - { name: slow, timeout: 1s, on_failure: continue, run: sleep 300 }
                  - { name: later, run: touch later.ran }
                """, Engine.builder());
        assertThat(statuses(result)).containsExactly(StepStatus.FAILED_CONTINUED, StepStatus.SUCCEEDED);
        assertThat(result.succeeded()).isTrue();
        assertThat(result.steps().get(0).error()).hasValueSatisfying(e -> assertThat(e).startsWith("timed out"));
    }

    @Test
    void anAlwaysStageAfterAFailedStackSeesItsOutputsUnset() throws Exception {
        Files.createDirectories(repo.resolve("infra"));
        Files.writeString(repo.resolve("infra/main.tf"), "output \"db_host\" { value = \"db\" }\n");
        Phase failingInfrastructure = new Phase() {
            @Override
            public Feature feature() {
                return Feature.INFRASTRUCTURE;
            }

            @Override
            public List<List<Task>> tasks(DeployFile file, RunVariables variables) {
                return List.of(List.of(new Task("app", "stack", OnFailure.ABORT, false, context -> {
                    throw new TaskFailedException("apply failed");
                })));
            }
        };
        RunResult result = up("""
                version: 1
                variables:
                  DB_URL: "postgres://${DB_HOST}/shop"
                infrastructure:
                  - { name: app, dir: infra, outputs: { DB_HOST: db_host } }
                stages:
                  - name: report
                    always: true
                    run: echo "host=[${DB_HOST-unset}] url=[${DB_URL-unset}] env=$BERTH_ENVIRONMENT" > report.txt
                """, Engine.builder().phase(failingInfrastructure));
        assertThat(statuses(result)).containsExactly(StepStatus.FAILED, StepStatus.SUCCEEDED);
        assertThat(Files.readString(repo.resolve("report.txt"))).isEqualTo("host=[unset] url=[unset] env=shop-main\n");
    }
}
