package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StepStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up} in a JVM of its own, stopped with a real signal. SIGTERM only: a JVM started in the background
 * (as Maven starts tests here) inherits SIGINT ignored and keeps it so, as every program must; Ctrl-C takes the
 * same path with exit code 130 (see {@link ExitCodes#stopped}).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SignalsTest {

    @TempDir
    Path repo;

    @Test
    void sigtermStopsTheStageRunsTheAlwaysStageRecordsInterruptedAndExits143() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                stages:
                  - { name: hang, run: "sleep 300 & echo $! > sleep.pid; wait" }
                  - { name: later, run: touch later.ran }
                  - { name: cleanup, run: touch cleanup.ran, always: true }
                """);
        Path state = repo.resolve("state");
        Process berth = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BerthCommand.class.getName(),
                "up", repo.resolve("berth.yml").toString(), "--branch", "main", "--commit", "abc123",
                "--state", state.toString())
                .redirectErrorStream(true).redirectOutput(repo.resolve("berth.log").toFile()).start();
        Path pid = repo.resolve("sleep.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(pid) || Files.readString(pid).isBlank()) {
            assertThat(berth.isAlive()).as(Files.readString(repo.resolve("berth.log"))).isTrue();
            assertThat(System.nanoTime()).as("waiting for the stage to start").isLessThan(deadline);
            Thread.sleep(50);
        }
        ProcessHandle sleep = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).orElseThrow();

        new ProcessBuilder("kill", "-TERM", String.valueOf(berth.pid())).start().waitFor();

        assertThat(berth.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(repo.resolve("berth.log"));
        assertThat(berth.exitValue()).as(log).isEqualTo(ExitCodes.TERMINATED);
        assertThat(log).contains("berth: SIGTERM: stopping the deploy", "stage hang: interrupted (SIGTERM)");
        assertThat(sleep.onExit()).succeedsWithin(Duration.ofSeconds(15));
        assertThat(repo.resolve("later.ran")).doesNotExist();
        assertThat(repo.resolve("cleanup.ran")).exists();
        EnvironmentRecord record = new DirectoryStateStore(state).read("shop-main").orElseThrow();
        assertThat(record.status()).isEqualTo(EnvironmentStatus.INTERRUPTED);
        assertThat(record.lastRun().orElseThrow().steps()).extracting(s -> s.status())
                .isEqualTo(List.of(StepStatus.INTERRUPTED, StepStatus.SKIPPED, StepStatus.SUCCEEDED));
    }

    @Test
    void sigtermDuringATeardownStopsItsStageAndExits143() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                stages:
                  - { name: hello, run: echo hello }
                teardown:
                  - { name: hang, run: "sleep 300 & echo $! > sleep.pid; wait" }
                """);
        Path state = repo.resolve("state");
        Process up = berth("up", repo.resolve("berth.yml").toString(), "--branch", "main", "--commit", "abc123",
                "--state", state.toString());
        assertThat(up.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(up.exitValue()).as(Files.readString(repo.resolve("berth.log"))).isZero();
        Process down = berth("down", "--env", "shop-main", "--state", state.toString());
        // The kept teardown stage runs in the kept folder: its pid file is written there.
        Path pid = state.resolve("kept/shop-main/sleep.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!Files.exists(pid) || Files.readString(pid).isBlank()) {
            assertThat(down.isAlive()).as(Files.readString(repo.resolve("berth.log"))).isTrue();
            assertThat(System.nanoTime()).as("waiting for the teardown stage").isLessThan(deadline);
            Thread.sleep(50);
        }
        ProcessHandle sleep = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).orElseThrow();

        new ProcessBuilder("kill", "-TERM", String.valueOf(down.pid())).start().waitFor();

        assertThat(down.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(repo.resolve("berth.log"));
        assertThat(down.exitValue()).as(log).isEqualTo(ExitCodes.TERMINATED);
        assertThat(sleep.onExit()).succeedsWithin(Duration.ofSeconds(15));
    }

    /** {@code berth ARGS} in a JVM of its own, its output in berth.log. */
    private Process berth(String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BerthCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(repo.resolve("berth.log").toFile()).start();
    }

}
