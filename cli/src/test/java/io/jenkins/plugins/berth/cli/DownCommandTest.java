package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** up, down and unlock from the command line, on a copy of examples/parallel-stacks with real OpenTofu. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class DownCommandTest {

    @TempDir
    Path temp;

    private Path copyExample() throws Exception {
        Path source = Cli.ROOT.resolve("examples/parallel-stacks");
        Path target = temp.resolve("parallel-stacks");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path relative = source.relativize(file);
                if (relative.startsWith(".berth")) {
                    continue;
                }
                Path copy = target.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(file, copy);
                }
            }
        }
        return target;
    }

    @Test
    void upAppliesTheStacksInParallelGroupsAndDownDestroysThemOnce() throws Exception {
        Path example = copyExample();
        Cli.Result up = Cli.run("up", example.toString(), "--branch", "main");
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        assertThat(up.out()).contains("[report] app at http://127.0.0.1:8080 (subnet 10.0.0.0/24, queue"
                + " http://127.0.0.1:9324/queue), environment URL http://127.0.0.1:8080")
                .contains("==> URL: http://127.0.0.1:8080");

        Cli.Result again = Cli.run("up", example.toString(), "--branch", "main");
        assertThat(again.exitCode()).isZero();
        assertThat(again.out().lines().filter(l -> l.contains("no changes, apply skipped"))).hasSize(3);

        Cli.Result down = Cli.run("down", example.toString(), "--env", "orders-main");
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertThat(down.out()).contains("==> Environment orders-main is gone (destroyed app, queue, network)");
        Cli.Result downAgain = Cli.run("down", example.toString(), "--env", "orders-main");
        assertThat(downAgain.exitCode()).isZero();
        assertThat(downAgain.out()).contains("already gone: nothing to do");
    }

    @Test
    void unknownEnvironmentsAndUsageErrorsExitTwo() throws Exception {
        Path example = copyExample();
        assertThat(Cli.run("down", example.toString(), "--env", "nope").exitCode()).isEqualTo(2);
        assertThat(Cli.run("down", example.toString()).exitCode()).isEqualTo(2);
        assertThat(Cli.run("down", example.toString(), "--shared", "db").exitCode()).isEqualTo(2);
        Cli.Result unlock = Cli.run("unlock", example.toString(), "--env", "nope");
        assertThat(unlock.exitCode()).isEqualTo(2);
        assertThat(unlock.err()).contains("there is no environment nope in");
    }
}
