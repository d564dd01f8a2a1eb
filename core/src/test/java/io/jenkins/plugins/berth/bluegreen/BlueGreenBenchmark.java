package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

/**
 * Not a test: each blue-green path (a switch, a failed health check, a failed verification, the hooks, a rejected
 * approval, and a switch without drain for comparison) run once behind nginx under a constant load of four clients,
 * printing the requests sent, those that failed and the error window (first to last failure), then the switch
 * latency. Run it with {@code scripts/benchmark bluegreen}.
 */
public final class BlueGreenBenchmark {

    private static final Log QUIET = new Log() {
        @Override
        public void message(Level level, String text) {}

        @Override
        public void output(String task, String line) {}
    };

    private interface Scenario {
        /** Prepares the colours; returns the deploy to measure. */
        Deploy prepare(TestNginx nginx) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "%-44s %8s %7s %14s %10s%n", "scenario (load: 4 clients through nginx)", "sent",
                "failed", "error window", "deploy");
        run("switch, keep 10m, drain 1s", "/version", nginx -> {
            nginx.release(Color.GREEN, "v2", true);
            return nginx.deploy("timeout: 10s, successes: 2", "keep: 10m", "drain: 1s");
        });
        run("switch, keep 0, drain 3s, 2 s requests", "/slow", nginx -> {
            nginx.release(Color.GREEN, "v2", true);
            return nginx.deploy("timeout: 10s, successes: 2", "keep: 0s", "drain: 3s");
        });
        run("switch, keep 0, drain 0, 2 s requests", "/slow", nginx -> {
            nginx.release(Color.GREEN, "v2", true);
            return nginx.deploy("timeout: 10s, successes: 2", "keep: 0s", "drain: 0s");
        });
        run("health check fails", "/version", nginx -> {
            nginx.release(Color.GREEN, "v2", false);
            return nginx.deploy("timeout: 3s, successes: 2", "keep: 10m", "drain: 1s");
        });
        run("verification fails (failure_limit 0)", "/version", nginx -> {
            nginx.release(Color.GREEN, "v2", true);
            Files.delete(nginx.dir.resolve("green/version"));
            return nginx.deploy("timeout: 20s, successes: 2", "keep: 10m", "drain: 1s");
        });
        run("before_start fails", "/version", nginx -> {
            nginx.release(Color.GREEN, "v2", true);
            return nginx.deploy("timeout: 10s, successes: 2", "keep: 10m", "drain: 1s", "before_start: exit 1");
        });
        run("before_switch fails", "/version", nginx -> {
            nginx.release(Color.GREEN, "v2", true);
            return nginx.deploy("timeout: 10s, successes: 2", "keep: 10m", "drain: 1s", "before_switch: exit 1");
        });
        run("after_switch fails (switched back)", "/version", nginx -> {
            nginx.release(Color.GREEN, "v2", true);
            return nginx.deploy("timeout: 10s, successes: 2", "keep: 10m", "drain: 1s", "after_switch: exit 1");
        });
        run("approval rejected", "/version", nginx -> {
            nginx.release(Color.GREEN, "v2", true);
            return nginx.deploy("timeout: 10s, successes: 2", "keep: 10m", "drain: 1s",
                    "approval: { timeout: 1s, default: reject }");
        });
        System.out.println();
        SwitchLatencyBenchmark.main(args);
    }

    private static void run(String name, String path, Scenario scenario) throws Exception {
        Path dir = Files.createTempDirectory("berth-bluegreen-bench");
        try (TestNginx nginx = TestNginx.start(dir)) {
            Scripts scripts = Scripts.of(new LocalCommandRunner(dir), QUIET, "publish");
            BlueGreen.Gates gates = new BlueGreen.Gates(scripts, Approver.UNATTENDED, colors -> { });
            nginx.release(Color.BLUE, "v1", true);
            Deploy first = nginx.deploy("timeout: 10s, successes: 2", "keep: 10m", "drain: 0s");
            BlueGreenRecord blue = new BlueGreen(nginx.target(QUIET), new HealthCheck(Clock.systemUTC()), QUIET,
                    Clock.systemUTC(), gates).deploy(Optional.empty(), nginx.request(first, "/health"));
            Deploy deploy = scenario.prepare(nginx);
            String live = path.equals("/slow") ? "/health" : "/version";
            long took;
            try (LoadLoop load = new LoadLoop(nginx.port, path)) {
                Thread.sleep(500);
                long start = System.nanoTime();
                try {
                    new BlueGreen(nginx.target(QUIET), new HealthCheck(Clock.systemUTC()), QUIET, Clock.systemUTC(),
                            gates).deploy(Optional.of(blue), nginx.request(deploy, live));
                } catch (BlueGreen.DeployFailedException expected) {
                    // the failure paths: what counts is what clients saw
                }
                took = System.nanoTime() - start;
                Thread.sleep(2500);
                load.close();
                double window = load.failedAt.isEmpty() ? 0
                        : (load.failedAt.stream().mapToLong(Long::longValue).max().getAsLong()
                                - load.failedAt.stream().mapToLong(Long::longValue).min().getAsLong()) / 1e6;
                System.out.printf(Locale.ROOT, "%-44s %8d %7d %11.0f ms %8.1f s%n", name, load.sent.get(),
                        load.failures.size(), window, took / 1e9);
            }
        }
    }
}
