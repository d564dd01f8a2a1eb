package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.deploy.UpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Not a test: the first {@code up} of examples/parallel-stacks (three stacks applied with OpenTofu)
 * against a second {@code up} with nothing changed, which plans and skips every apply. Prints both
 * times and the ratio. Run it with {@code scripts/benchmark infrastructure}.
 */
public final class InfrastructureBenchmark {

    private static final int ROUNDS = 5;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("berth.projectRoot", ".")).toAbsolutePath().normalize();
        List<Path> tools = List.of(root.resolve(".tools/bin"));
        long[] first = new long[ROUNDS];
        long[] again = new long[ROUNDS];
        int skipped = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Path repo = copy(root.resolve("examples/parallel-stacks"));
            AtomicInteger skips = new AtomicInteger();
            first[round] = up(repo, tools, skips);
            skips.set(0);
            again[round] = up(repo, tools, skips);
            skipped = skips.get();
        }
        double firstMillis = median(first) / 1e6;
        double againMillis = median(again) / 1e6;
        System.out.printf(Locale.ROOT, "examples/parallel-stacks (3 stacks), median of %d rounds%n", ROUNDS);
        System.out.printf(Locale.ROOT, "  first up            : %8.0f ms (init, plan, apply, output per stack)%n", firstMillis);
        System.out.printf(Locale.ROOT, "  up, nothing changed : %8.0f ms (init, plan; apply skipped for %d of 3 stacks)%n",
                againMillis, skipped);
        System.out.printf(Locale.ROOT, "  ratio               : %8.2f%n", againMillis / firstMillis);
    }

    private static long up(Path repo, List<Path> tools, AtomicInteger skips) throws Exception {
        Path stateFolder = repo.resolve(".berth/state");
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");
        Log log = new Log() {
            @Override
            public void message(Level level, String text) {
                if (text.endsWith("no changes, apply skipped")) {
                    skips.incrementAndGet();
                }
            }

            @Override
            public void output(String task, String line) {}
        };
        long start = System.nanoTime();
        RunResult result = Engine.builder()
                .phase(new InfrastructurePhase(repo, repo.resolve("berth.yml"), stateFolder, tools))
                .build(new LocalCommandRunner(repo), new DirectoryStateStore(stateFolder), log)
                .up(file, RepositoryFiles.of(repo), new UpRequest("main", Optional.empty(), "bench", SecretSource.none(), 4));
        long nanos = System.nanoTime() - start;
        if (!result.succeeded()) {
            throw new IllegalStateException("up failed: " + result);
        }
        return nanos;
    }

    private static Path copy(Path source) throws Exception {
        Path target = Files.createTempDirectory("berth-infra-bench");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path relative = source.relativize(file);
                if (relative.startsWith(".berth")) {
                    continue;
                }
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target.resolve(relative.toString()));
                } else {
                    Files.copy(file, target.resolve(relative.toString()));
                }
            }
        }
        return target;
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
