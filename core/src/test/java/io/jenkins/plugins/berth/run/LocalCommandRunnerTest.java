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
        ProcessHandle.of(Long.parseLong(Files.readString(root.resolve("bg.pid")).trim())).ifPresent(ProcessHandle::destroy);
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
}
