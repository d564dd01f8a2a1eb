package io.jenkins.plugins.berth.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LocalCommandRunnerTest {

    @TempDir
    Path root;

    private final List<String> lines = new CopyOnWriteArrayList<>();

    private int run(String script, Map<String, String> environment) throws Exception {
        return new LocalCommandRunner(root).run(Command.inlineScript(script, environment), lines::add);
    }

    @Test
    void returnsTheExitCodeAndStreamsBothOutputsInOrder() throws Exception {
        assertThat(run("echo out; echo err >&2; echo 'ünïcödé'; exit 5", Map.of())).isEqualTo(5);
        assertThat(lines).containsExactly("out", "err", "ünïcödé");
    }

    @Test
    void runsInTheRootWithTheGivenVariablesAndAnEmptyStdin() throws Exception {
        assertThat(run("pwd; echo \"$GREETING\"; cat; echo \"path set: ${PATH:+yes}\"",
                Map.of("GREETING", "a b  'c' $x"))).isZero();
        assertThat(lines).containsExactly(root.toRealPath().toString(), "a b  'c' $x", "path set: yes");
    }

    @Test
    void onlyTerraformCommandsInheritTheStateCredentials() throws Exception {
        RunnerEnvironment jenkins = RunnerEnvironment.current().with(Map.of(
                "BERTH_STATE_URL", "https://ci.example.com/berth-state/",
                "TF_HTTP_PASSWORD", RunnerEnvironmentTest.PASSWORD,
                "TF_HTTP_ADDRESS", "https://ci.example.com/berth-state/shop/app/shop-main",
                "KEPT", "kept"));
        LocalCommandRunner runner = new LocalCommandRunner(root, jenkins);
        String script = "env | grep -c -e '^TF_HTTP_' -e '^BERTH_STATE_URL=' || true; echo \"[${TF_HTTP_PASSWORD-}]$KEPT\"";
        assertThat(runner.run(Command.inlineScript(script, Map.of()), lines::add)).isZero();
        assertThat(lines).containsExactly("0", "[]kept");

        lines.clear();
        Command terraform = Command.terraform(List.of("bash", "-c", script), "", Map.of("TF_HTTP_USERNAME", "berth"));
        assertThat(runner.run(terraform, lines::add)).isZero();
        assertThat(lines).containsExactly("4", "[" + RunnerEnvironmentTest.PASSWORD + "]kept");
        assertThat(runner.environmentSecrets()).containsExactly(RunnerEnvironmentTest.PASSWORD);
    }

    @Test
    void aCommandThatCannotStartIsAnIOException() {
        Command missing = new Command(List.of("/no/such/program"), "", Map.of());
        assertThatThrownBy(() -> new LocalCommandRunner(root).run(missing, lines::add)).isInstanceOf(IOException.class);
    }

    @Test
    void aBackgroundProcessHoldingTheOutputDoesNotKeepTheCommandRunning() throws Exception {
        long start = System.nanoTime();
        assertThat(run("echo started; (sleep 30; echo late) & echo $! > bg.pid", Map.of())).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
        assertThat(lines).containsExactly("started");
        // Left running on purpose (an app a stage starts): ending the command does not stop its group.
        ProcessHandle background = ProcessHandle.of(Long.parseLong(Files.readString(root.resolve("bg.pid")).trim()))
                .orElseThrow();
        Thread.sleep(300);
        assertThat(background.isAlive()).isTrue();
        background.destroy();
    }

    @Test
    void interruptingTheRunAlsoStopsWhatLeftItsProcessTree() throws Exception {
        // The subshell exits at once, so the sleep is nobody's descendant any more; only its process group says
        // where it came from.
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                run("(sleep 300 & echo $! > orphan.pid); sleep 300", Map.of());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        runner.start();
        Path orphanPid = root.resolve("orphan.pid");
        while (!Files.exists(orphanPid) || Files.readString(orphanPid).isBlank()) {
            Thread.sleep(20);
        }
        ProcessHandle orphan = ProcessHandle.of(Long.parseLong(Files.readString(orphanPid).trim())).orElseThrow();
        runner.interrupt();
        runner.join(20_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(orphan.onExit()).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void whatACommandStartedDiesWithBerthEvenWhenBerthIsKilled() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        Process berth = new ProcessBuilder(javaBin.toString(), "-cp", System.getProperty("java.class.path"),
                RunInAnotherProcess.class.getName(), root.toString(),
                "sleep 0.5; echo $$ > shell.pid; sleep 300 & echo $! > child.pid; trap 'echo bye' TERM; sleep 300")
                .redirectErrorStream(true).redirectOutput(root.resolve("berth.log").toFile()).start();
        Path childPid = root.resolve("child.pid");
        while (!Files.exists(childPid) || Files.readString(childPid).isBlank()) {
            assertThat(berth.isAlive()).as(Files.exists(root.resolve("berth.log"))
                    ? Files.readString(root.resolve("berth.log")) : "berth ended").isTrue();
            Thread.sleep(20);
        }
        // Berth killed while the command runs; the instant between its start and the guard hearing of it is not tried.
        ProcessHandle child = ProcessHandle.of(Long.parseLong(Files.readString(childPid).trim())).orElseThrow();
        ProcessHandle shell = ProcessHandle.of(Long.parseLong(Files.readString(root.resolve("shell.pid")).trim()))
                .orElseThrow();
        berth.destroyForcibly().waitFor();
        // The guard's SIGTERM ends the shell and the sleep; without it both would sleep on for five minutes.
        assertThat(shell.onExit()).succeedsWithin(Duration.ofSeconds(20));
        assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(20));
    }

    @Test
    void interruptingTheRunStopsTheProcessAndWhatItStarted() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                run("sleep 300 & echo $! > child.pid; echo $$ > shell.pid; wait", Map.of());
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        runner.start();
        Path childPid = root.resolve("child.pid");
        Path shellPid = root.resolve("shell.pid");
        while (!Files.exists(shellPid) || Files.readString(shellPid).isBlank()) {
            Thread.sleep(20);
        }
        runner.interrupt();
        runner.join(20_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        for (Path pid : List.of(childPid, shellPid)) {
            ProcessHandle.of(Long.parseLong(Files.readString(pid).trim()))
                    .ifPresent(p -> assertThat(p.onExit()).succeedsWithin(Duration.ofSeconds(10)));
        }
    }

    /**
     * At the JVM's exit the guard is released (its pipe closed, as Berth's end would close it) and ends at once: a
     * guard still running kept a thread in native code, and the exit waited for it. What a finished command left
     * running on purpose keeps running; commands started later get a guard of their own.
     */
    @Test
    void theGuardEndsWhenReleasedAndWhatAFinishedCommandLeftRunningStays() throws Exception {
        ProcessGroups groups = ProcessGroups.available().orElseThrow();
        assertThat(run("sleep 300 > /dev/null 2>&1 & echo $! > left.pid", Map.of())).isZero();
        ProcessHandle guard = groups.guardProcess().orElseThrow();
        ProcessHandle left = ProcessHandle.of(Long.parseLong(Files.readString(root.resolve("left.pid")).trim()))
                .orElseThrow();

        groups.release();

        assertThat(guard.onExit()).succeedsWithin(Duration.ofSeconds(10));
        assertThat(groups.guardProcess()).isEmpty();
        assertThat(left.isAlive()).isTrue();
        left.destroy();
        assertThat(run("echo again", Map.of())).isZero();
        assertThat(groups.guardProcess()).isPresent().get().isNotEqualTo(guard);
    }
}
