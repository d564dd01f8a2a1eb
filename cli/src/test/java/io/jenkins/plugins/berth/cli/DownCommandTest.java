package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

    private static io.jenkins.plugins.berth.terraform.LockInfo lock(String id) {
        return io.jenkins.plugins.berth.terraform.LockInfo.parse(("{\"ID\":\"" + id + "\",\"Who\":\"carol@ci\","
                + "\"Operation\":\"OperationTypeApply\",\"Created\":\"2026-11-22T09:00:00Z\"}").getBytes()).orElseThrow();
    }

    @Test
    void unlockReleasesTheEnvironmentsLocksAndASharedStacksAndNothingWhileARunGoesOn() throws Exception {
        Path example = copyExample();
        Cli.Result up = Cli.run("up", example.toString(), "--branch", "main");
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        Path stateFolder = Cli.stateOf(example);
        var states = new io.jenkins.plugins.berth.terraform.StateStorage(stateFolder.resolve("terraform/states"), 10);
        // As the state server takes them; the record lists no stack 'cache' (a first apply killed early).
        assertThat(states.tryLock("orders/app/orders-main", lock("aaaa-1"))).isEmpty();
        assertThat(states.tryLock("orders/cache/orders-main", lock("bbbb-2"))).isEmpty();
        assertThat(states.tryLock("orders/db/_shared", lock("cccc-3"))).isEmpty();

        var store = new io.jenkins.plugins.berth.environments.DirectoryStateStore(stateFolder);
        var attempt = store.tryLock("orders-main", "berth up of branch main by dave@ci");
        try (var running = ((io.jenkins.plugins.berth.environments.StateStore.Acquired) attempt).lock()) {
            Cli.Result busy = Cli.run("unlock", example.toString(), "--env", "orders-main");
            assertThat(busy.exitCode()).isEqualTo(1);
            assertThat(busy.err()).startsWith("berth: environment orders-main is busy: berth up of branch main by"
                    + " dave@ci is running on it");
            assertThat(Cli.run("unlock", example.toString(), "--shared", "db", "--project", "orders").exitCode())
                    .isEqualTo(1);
        }
        assertThat(states.lock("orders/app/orders-main")).isPresent();

        Cli.Result unlock = Cli.run("unlock", example.toString(), "--env", "orders-main");
        assertThat(unlock.exitCode()).as(unlock.out() + unlock.err()).isZero();
        assertThat(unlock.out().lines().filter(l -> l.startsWith("==> Released"))).containsExactly(
                "==> Released stack app: lock aaaa-1 held by carol@ci (OperationTypeApply) since 2026-11-22T09:00:00Z",
                "==> Released stack cache: lock bbbb-2 held by carol@ci (OperationTypeApply) since 2026-11-22T09:00:00Z");
        assertThat(unlock.out()).contains("release it with: bin/berth unlock --shared db --project orders");
        assertThat(Cli.run("unlock", example.toString(), "--env", "orders-main").out())
                .contains("==> Nothing of environment orders-main was locked");

        Cli.Result shared = Cli.run("unlock", example.toString(), "--shared", "db", "--project", "orders");
        assertThat(shared.exitCode()).as(shared.out() + shared.err()).isZero();
        assertThat(shared.out()).contains("==> Released shared stack db of project orders: lock cccc-3 held by carol@ci");
        assertThat(Cli.run("unlock", example.toString(), "--shared", "db", "--project", "orders").out())
                .contains("==> Nothing of shared stack db of project orders was locked");
        Cli.Result unknown = Cli.run("unlock", example.toString(), "--shared", "cache", "--project", "orders");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("there is no state of shared stack cache of project orders in")
                .contains("(its shared stacks: db)");
        assertThat(Cli.run("up", example.toString(), "--branch", "main").exitCode()).isZero();
    }

    @Test
    void aTeardownStageThatKeepsFailingIsSkippedWithAReasonThatEnvsShows() throws Exception {
        Path repo = temp.resolve("demo");
        Files.createDirectories(repo);
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: demo
                stages:
                  - { name: hello, run: echo hello }
                teardown:
                  - { name: cleanup, run: "echo 'cleanup API gone' >&2; exit 7" }
                """);
        assertThat(Cli.run("up", repo.toString(), "--branch", "main").exitCode()).isZero();
        Cli.Result failed = Cli.run("down", repo.toString(), "--env", "demo-main");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.err()).isEqualTo("berth: teardown stage cleanup exited with code 7\n");

        // Usage errors, one line each, before anything runs.
        Cli.Result noReason = Cli.run("down", repo.toString(), "--env", "demo-main", "--skip-stages");
        assertThat(noReason.exitCode()).isEqualTo(2);
        assertThat(noReason.err()).isEqualTo("berth: skipping the teardown stages needs a reason (--reason TEXT): the"
                + " environment's record keeps it\n");
        Cli.Result reasonAlone = Cli.run("down", repo.toString(), "--env", "demo-main", "--reason", "why");
        assertThat(reasonAlone.exitCode()).isEqualTo(2);
        assertThat(reasonAlone.err()).isEqualTo("berth: a reason goes with skipping the teardown stages"
                + " (--skip-stages)\n");
        Cli.Result shared = Cli.run("down", repo.toString(), "--shared", "db", "--project", "demo", "--skip-stages",
                "--reason", "why");
        assertThat(shared.exitCode()).isEqualTo(2);
        assertThat(shared.err()).startsWith("berth: --skip-stages and --reason go with --env");
        assertThat(Cli.run("envs", repo.toString()).out()).containsPattern("demo-main +branch +failed ");

        Cli.Result skipped = Cli.run("down", repo.toString(), "--env", "demo-main", "--skip-stages", "--reason",
                "cleanup API retired (OPS-12)");
        assertThat(skipped.exitCode()).as(skipped.out() + skipped.err()).isZero();
        assertThat(skipped.out()).contains("Skipping the teardown stages of demo-main: cleanup API retired (OPS-12)",
                "teardown stage cleanup: skipped", "Environment demo-main is gone");
        Cli.Result envs = Cli.run("envs", repo.toString());
        assertThat(envs.out()).containsPattern("demo-main +branch +gone ")
                .contains("    teardown stages skipped: cleanup API retired (OPS-12)");
        JsonNode run = new ObjectMapper().readTree(Cli.run("envs", repo.toString(), "--json").out()).get(0)
                .path("last_run");
        assertThat(run.path("command").asText()).isEqualTo("down");
        assertThat(run.path("skip_reason").asText()).isEqualTo("cleanup API retired (OPS-12)");
        assertThat(run.path("steps").get(0).path("status").asText()).isEqualTo("skipped");
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
        assertThat(Cli.run("unlock", example.toString()).exitCode()).isEqualTo(2);
        assertThat(Cli.run("unlock", example.toString(), "--shared", "db").exitCode()).isEqualTo(2);
        assertThat(Cli.run("unlock", example.toString(), "--env", "x", "--shared", "db", "--project", "p").exitCode())
                .isEqualTo(2);
        assertThat(Cli.run("unlock", example.toString(), "--shared", "db", "--project", "orders").exitCode()).isEqualTo(2);
    }
}
