package io.jenkins.plugins.berth.environments;

import io.jenkins.plugins.berth.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Not a test: a state folder of 1,000, 5,000 and 10,000 environment records; times listing them all
 * ({@code berth envs}: read, parse, format) and the {@code reap --dry-run} decision over all of them,
 * and the peak heap of each. Run it with {@code scripts/benchmark environments}.
 */
public final class EnvironmentsBenchmark {

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "%8s %12s %12s %14s %16s%n", "records", "envs", "reap decision", "peak heap",
                "heap per record");
        for (int count : new int[] {1_000, 5_000, 10_000}) {
            Path folder = Files.createTempDirectory("berth-envs-bench");
            write(folder, count);
            DirectoryStateStore store = new DirectoryStateStore(folder);
            measure(store, count);  // warm-up
            System.gc();
            long baseline = usedHeap();
            resetPeaks();
            long start = System.nanoTime();
            List<EnvironmentRecord> all = store.all();
            String listing = format(all);
            long envsNanos = System.nanoTime() - start;
            start = System.nanoTime();
            long reaped = Reaper.decide(all.stream().map(EnvironmentRecord::summary).toList(), Instant.parse("2026-11-22T12:00:00Z")).stream()
                    .filter(Reaper.Decision::reap).count();
            long reapNanos = System.nanoTime() - start;
            long peak = peakHeap() - baseline;
            if (all.size() != count || listing.isEmpty() || reaped == 0) {
                throw new IllegalStateException("unexpected result");
            }
            System.out.printf(Locale.ROOT, "%8d %10.0fms %10.1fms %12.1fMB %14.1fKB%n", count, envsNanos / 1e6,
                    reapNanos / 1e6, peak / 1e6, peak / 1e3 / count);
        }
    }

    private static void measure(DirectoryStateStore store, int count) throws Exception {
        List<EnvironmentRecord> all = store.all();
        format(all);
        Reaper.decide(all.stream().map(EnvironmentRecord::summary).toList(), Instant.now());
    }

    /** What berth envs prints, built in memory. */
    private static String format(List<EnvironmentRecord> all) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        for (EnvironmentRecord env : all) {
            out.printf("%-32s %-13s %-12s %-24s %s %s %s%n", env.name(), env.kind().keyword(), env.status().keyword(),
                    env.branch(), env.lastDeployAt().orElse(null), env.expiresAt().orElse(null), env.url().orElse("-"));
        }
        out.flush();
        return text.toString();
    }

    /** Records like a busy project's: a third expired, some protected, each with a run of 6 steps. */
    private static void write(Path folder, int count) throws Exception {
        Instant base = Instant.parse("2026-11-01T00:00:00Z");
        for (int i = 0; i < count; i++) {
            String name = "shop-feature-" + i;
            Instant deployed = base.plus(Duration.ofMinutes(i * 3L));
            List<StepResult> steps = List.of(
                    step("init_stages", "test", deployed), step("images", "web", deployed),
                    step("infrastructure", "app", deployed), step("stages", "migrate", deployed),
                    step("stages", "smoke", deployed), step("stages", "publish", deployed));
            EnvironmentRecord record = EnvironmentRecord.create(name, "shop", "feature/" + i,
                    i % 10 == 0 ? EnvironmentKind.PULL_REQUEST : EnvironmentKind.BRANCH, i % 7 == 0, deployed)
                    .withDeploy(Optional.of(Integer.toHexString(i).repeat(5)), Optional.of(Duration.ofDays(i % 3 == 0 ? 1 : 30)),
                            deployed)
                    .withStatus(EnvironmentStatus.READY, deployed)
                    .withRun(new RunRecord("up", deployed, Optional.of(deployed.plusSeconds(90)),
                            Optional.of(StepStatus.SUCCEEDED), steps, Optional.empty()), Optional.of("https://" + name + ".example.com/"),
                            deployed)
                    .withStacks(List.of(new StackRecord("app", false, "http", "shop/app/" + name,
                            "terraform/work/shop/app/" + name)), deployed)
                    .withImages(Map.of("web", "registry.example.com/shop/web@sha256:" + "c".repeat(64)), deployed)
                    .withRevision(3);
            Files.write(folder.resolve(name + ".json"), Json.mapper().writeValueAsBytes(record));
        }
    }

    private static StepResult step(String phase, String name, Instant at) {
        return new StepResult(phase, name, "stage", StepStatus.SUCCEEDED, Optional.of(at), 1234, Optional.empty(),
                Optional.empty());
    }

    private static long usedHeap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    }
}
