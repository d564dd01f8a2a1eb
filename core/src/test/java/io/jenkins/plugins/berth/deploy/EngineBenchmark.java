package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.run.CommandRunner;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Not a test: measures what the engine adds on top of starting processes. Runs a deploy file of 200
 * trivial stages through the engine, and the same 200 commands through bash directly (one
 * {@code bash -e -o pipefail -c} per command, as the engine runs them), then prints both times and the
 * ratio. Run it with {@code scripts/benchmark engine}.
 */
public final class EngineBenchmark {

    private static final int STAGES = 200;
    private static final int ROUNDS = 15;

    public static void main(String[] args) throws Exception {
        LocalCommandRunner.preferFastProcessStart();  // as the CLI does
        System.out.println("process launch mechanism: " + System.getProperty("jdk.lang.Process.launchMechanism",
                "the JDK's default") + ", Java " + Runtime.version());
        Path repo = Files.createTempDirectory("berth-bench");
        StringBuilder yaml = new StringBuilder("version: 1\nproject: bench\nvariables: { GREETING: \"hi ${BERTH_BRANCH}\" }\nstages:\n");
        StringBuilder bash = new StringBuilder();
        for (int i = 1; i <= STAGES; i++) {
            String command = "echo \"stage " + i + " $GREETING\"";
            yaml.append("  - name: stage-").append(i).append("\n    run: '").append(command.replace("'", "''")).append("'\n");
            bash.append("GREETING='hi main' bash -e -o pipefail -c '").append(command.replace("'", "'\\''")).append("'\n");
        }
        Files.writeString(repo.resolve("berth.yml"), yaml);
        Files.writeString(repo.resolve("baseline.sh"), bash);
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");

        long[] engine = new long[ROUNDS];
        long[] direct = new long[ROUNDS];
        long[] bookkeeping = new long[ROUNDS];
        // The same output a stage prints, without starting a process: what the engine costs by itself.
        CommandRunner noProcess = (command, output) -> {
            output.line("stage output");
            return 0;
        };
        // Round 0 warms up all three (JIT, page cache); it is not counted.
        for (int round = 0; round <= ROUNDS; round++) {
            long directNanos = runBaseline(repo);
            long engineNanos = runEngine(repo, file, new LocalCommandRunner(repo));
            long bookkeepingNanos = runEngine(repo, file, noProcess);
            if (round > 0) {
                direct[round - 1] = directNanos;
                engine[round - 1] = engineNanos;
                bookkeeping[round - 1] = bookkeepingNanos;
            }
        }
        double engineMillis = median(engine) / 1e6;
        double directMillis = median(direct) / 1e6;
        double bookkeepingMillis = median(bookkeeping) / 1e6;
        System.out.printf(Locale.ROOT, "%d stages, median of %d rounds%n", STAGES, ROUNDS);
        System.out.printf(Locale.ROOT, "  bash directly : %8.1f ms (%.2f ms per command)%n", directMillis, directMillis / STAGES);
        System.out.printf(Locale.ROOT, "  berth engine  : %8.1f ms (%.2f ms per stage, state kept up to date)%n",
                engineMillis, engineMillis / STAGES);
        System.out.printf(Locale.ROOT, "  ratio         : %8.2fx (target: at most 1.30x)%n", engineMillis / directMillis);
        System.out.printf(Locale.ROOT, "  of which the engine's own work (no process started): %.1f ms (%.3f ms per stage)%n",
                bookkeepingMillis, bookkeepingMillis / STAGES);
    }

    private static long runBaseline(Path repo) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder("bash", "baseline.sh").directory(repo.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException("the baseline script failed");
        }
        return System.nanoTime() - start;
    }

    private static long runEngine(Path repo, DeployFile file, CommandRunner commands) throws Exception {
        List<String> lines = new ArrayList<>();
        Log log = new Log() {
            @Override
            public synchronized void message(Level level, String text) {
                lines.add(text);
            }

            @Override
            public synchronized void output(String task, String line) {
                lines.add("[" + task + "] " + line);
            }
        };
        long start = System.nanoTime();
        RunResult result = Engine.builder()
                .build(commands, new DirectoryStateStore(repo.resolve(".berth/state")), log)
                .up(file, RepositoryFiles.of(repo), new UpRequest("main", Optional.empty(), "bench", SecretSource.none(), 1));
        long nanos = System.nanoTime() - start;
        if (!result.succeeded() || result.steps().size() != STAGES || !lines.contains("[stage-" + STAGES + "] "
                + (commands instanceof LocalCommandRunner ? "stage " + STAGES + " hi main" : "stage output"))) {
            throw new IllegalStateException("the engine run failed: " + lines);
        }
        return nanos;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
