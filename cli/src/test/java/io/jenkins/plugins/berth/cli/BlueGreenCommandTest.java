package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Blue-green through berth up and berth rollback, with the script target and real HTTP servers. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlueGreenCommandTest {

    @TempDir
    Path repo;

    @AfterEach
    void stopServers() throws IOException {
        for (String color : List.of("blue", "green", "ports-main-blue", "ports-main-green", "ports-feature-blue",
                "ports-feature-green", "ports-other-blue", "ports-other-green")) {
            Path pid = repo.resolve(color + ".pid");
            if (Files.exists(pid)) {
                ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroy);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void upAlternatesColoursAndRollbackSwitchesBack() throws Exception {
        for (String color : List.of("blue", "green")) {
            Files.createDirectories(repo.resolve(color));
            Files.writeString(repo.resolve(color + "/health"), "ok");
        }
        // The stop script lives in the repository; the teardown runs it from the kept copy, so it works
        // with absolute paths only.
        Files.writeString(repo.resolve("stop.sh"), "kill \"$(cat \"" + repo + "/$BERTH_COLOR.pid\")\" && rm \""
                + repo + "/$BERTH_COLOR.pid\"\n");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: bg
                variables: { VERSION: "v-${BERTH_COMMIT}" }
                stages:
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: script
                      colors: { blue: %d, green: %d }
                      start: |
                        echo "$VERSION" > "$BERTH_COLOR/version"
                        nohup python3 -m http.server "$BERTH_PORT" --bind 127.0.0.1 --directory "$BERTH_COLOR" \\
                          >"$BERTH_COLOR.log" 2>&1 </dev/null &
                        echo $! > "$BERTH_COLOR.pid"
                      stop: ./stop.sh
                      switch: echo "$BERTH_COLOR" > live
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health", timeout: 10s, interval: 1s, successes: 1 }
                """.formatted(freePort(), freePort()));
        Cli.Result first = Cli.run("up", repo.toString(), "--branch", "main", "--commit", "c1");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("==> blue is live");
        Cli.Result second = Cli.run("up", repo.toString(), "--branch", "main", "--commit", "c2");
        assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).contains("==> green is live; blue kept until ");
        assertThat(Files.readString(repo.resolve("live")).strip()).isEqualTo("green");
        assertThat(Files.readString(repo.resolve("green/version")).strip()).isEqualTo("v-c2");

        Cli.Result rollback = Cli.run("rollback", repo.toString(), "--env", "bg-main");
        assertThat(rollback.exitCode()).as(rollback.out() + rollback.err()).isZero();
        assertThat(rollback.out()).contains("==> blue is live again; green is kept for 10m, until ");
        assertThat(Files.readString(repo.resolve("live")).strip()).isEqualTo("blue");
        String record = Files.readString(Cli.stateOf(repo).resolve("bg-main.json"));
        assertThat(record).contains("\"live\" : \"blue\"", "\"previous\" : \"green\"", "\"trigger\" : \"rollback\"");

        assertThat(Cli.run("rollback", repo.toString(), "--env", "nope").exitCode()).isEqualTo(2);

        // Teardown retires both colours (the live one and the one kept for rollback) with 'stop'.
        assertThat(Files.exists(repo.resolve("blue.pid")) && Files.exists(repo.resolve("green.pid"))).isTrue();
        Cli.Result down = Cli.run("down", repo.toString(), "--env", "bg-main");
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertThat(down.out()).contains("==> colour blue retired", "==> colour green retired");
    }

    /**
     * A gated deploy with a shared folder through the CLI, without a terminal (as in CI): refused with what to do,
     * approved with --approve or by a timed gate; both colours write to the same folder, which outlives a deploy and
     * goes with the environment.
     */
    @Test
    void anApprovalGateWithoutATerminalAndASharedFolderKeptUntilTeardown() throws Exception {
        for (String color : List.of("blue", "green")) {
            Files.createDirectories(repo.resolve(color));
            Files.writeString(repo.resolve(color + "/health"), "ok");
        }
        Files.writeString(repo.resolve("stop.sh"), "echo \"$BERTH_COLOR $BERTH_SHARED_DIR\" >> \"" + repo + "/stops\"\n"
                + "kill \"$(cat \"" + repo + "/$BERTH_COLOR.pid\")\" && rm \"" + repo + "/$BERTH_COLOR.pid\"\n");
        repo.resolve("stop.sh").toFile().setExecutable(true);
        String file = """
                version: 1
                project: bg
                stages:
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: script
                      colors: { blue: %d, green: %d }
                      before_start: echo "$BERTH_COLOR $BERTH_COMMIT" >> "$BERTH_SHARED_DIR/starts"
                      start: |
                        nohup python3 -m http.server "$BERTH_PORT" --bind 127.0.0.1 --directory "$BERTH_COLOR" \\
                          >"$BERTH_COLOR.log" 2>&1 </dev/null &
                        echo $! > "$BERTH_COLOR.pid"
                      stop: ./stop.sh
                      switch: echo "$BERTH_COLOR" > live
                      shared_dir: data
                      approval: %s
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health", timeout: 10s, interval: 1s, successes: 1 }
                """;
        int blue = freePort();
        int green = freePort();
        Files.writeString(repo.resolve("berth.yml"), file.formatted(blue, green, "true"));
        Cli.Result refused = Cli.run("up", repo.toString(), "--branch", "main", "--commit", "c1");
        assertThat(refused.exitCode()).as(refused.out() + refused.err()).isNotZero();
        assertThat(refused.out() + refused.err()).contains("the deploy needs approval before the switch and there is"
                + " nobody to ask (no terminal): run it in a terminal, pass --approve, or give the gate a default");
        assertThat(repo.resolve("live")).as("no switch").doesNotExist();
        assertThat(repo.resolve("blue.pid")).as("blue stopped: " + refused.out()).doesNotExist();

        Cli.Result approved = Cli.run("up", repo.toString(), "--branch", "main", "--commit", "c2", "--approve");
        assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
        assertThat(Files.readString(repo.resolve("live")).strip()).isEqualTo("blue");

        Files.writeString(repo.resolve("berth.yml"), file.formatted(blue, green, "{ after: 1s }"));
        Cli.Result timed = Cli.run("up", repo.toString(), "--branch", "main", "--commit", "c3");
        assertThat(timed.exitCode()).as(timed.out() + timed.err()).isZero();
        assertThat(timed.out()).contains("Nobody can answer here: approving after 1s (approval after)");
        assertThat(Files.readString(repo.resolve("live")).strip()).isEqualTo("green");

        Path shared = Cli.stateOf(repo).resolve("shared/bg-main/data");
        assertThat(Files.readAllLines(shared.resolve("starts"))).containsExactly("blue c1", "blue c2", "green c3");

        Files.deleteIfExists(repo.resolve("stops"));
        Cli.Result down = Cli.run("down", repo.toString(), "--env", "bg-main");
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        // The teardown's stop, run from the kept files, is told the shared folder too.
        assertThat(Files.readAllLines(repo.resolve("stops"))).containsExactlyInAnyOrder("green " + shared, "blue " + shared);
        assertThat(down.out()).contains("shared folder " + Cli.stateOf(repo).resolve("shared/bg-main") + " removed");
        assertThat(Cli.stateOf(repo).resolve("shared/bg-main")).doesNotExist();
    }

    /**
     * {@code colors: auto}: each environment gets its own pair, the same at every deploy, and a torn-down
     * environment's pair is free again; ports may also be templates of the environment's variables.
     */
    @Test
    void portsPerEnvironmentAreAllocatedKeptAndReleased() throws Exception {
        for (String color : List.of("blue", "green")) {
            Files.createDirectories(repo.resolve(color));
            Files.writeString(repo.resolve(color + "/health"), "ok");
        }
        Files.writeString(repo.resolve("stop.sh"), "kill \"$(cat \"" + repo + "/$BERTH_ENVIRONMENT-$BERTH_COLOR.pid\")\""
                + " && rm \"" + repo + "/$BERTH_ENVIRONMENT-$BERTH_COLOR.pid\"\n");
        repo.resolve("stop.sh").toFile().setExecutable(true);
        String file = """
                version: 1
                project: ports
                variables: { BLUE_PORT: "%d", GREEN_PORT: "%d" }
                stages:
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: script
                      colors: %s
                      start: |
                        echo "$BERTH_PORT" >> "$BERTH_ENVIRONMENT.ports"
                        nohup python3 -m http.server "$BERTH_PORT" --bind 127.0.0.1 --directory "$BERTH_COLOR" \\
                          >/dev/null 2>&1 </dev/null &
                        echo $! > "$BERTH_ENVIRONMENT-$BERTH_COLOR.pid"
                      stop: ./stop.sh
                      switch: echo "$BERTH_COLOR" > "$BERTH_ENVIRONMENT.live"
                      keep: 0s
                      drain: 0s
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health", timeout: 10s, interval: 1s, successes: 1 }
                """;
        Files.writeString(repo.resolve("berth.yml"), file.formatted(1, 2, "auto"));
        for (String[] run : List.of(new String[] {"main", "c1"}, new String[] {"main", "c2"},
                new String[] {"feature", "c3"})) {
            Cli.Result up = Cli.run("up", repo.toString(), "--branch", run[0], "--commit", run[1]);
            assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        }
        List<String> main = Files.readAllLines(repo.resolve("ports-main.ports"));
        List<String> feature = Files.readAllLines(repo.resolve("ports-feature.ports"));
        assertThat(main).hasSize(2).doesNotHaveDuplicates();
        assertThat(Integer.parseInt(main.get(1)) - Integer.parseInt(main.get(0))).isEqualTo(1);
        assertThat(feature).hasSize(1).doesNotContainAnyElementsOf(main);
        assertThat(Files.readString(Cli.stateOf(repo).resolve("ports-main.json"))).contains(main.get(0), main.get(1));

        Cli.Result down = Cli.run("down", repo.toString(), "--env", "ports-main");
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        for (String port : main) {
            awaitFree(Integer.parseInt(port));
        }
        Cli.Result other = Cli.run("up", repo.toString(), "--branch", "other", "--commit", "c4");
        assertThat(other.exitCode()).as(other.out() + other.err()).isZero();
        assertThat(Files.readAllLines(repo.resolve("ports-other.ports"))).as("main's pair is free again")
                .containsExactly(main.get(0));

        // Templates: the environment's variables give the ports.
        int blue = freePort();
        int green = freePort();
        Files.writeString(repo.resolve("berth.yml"), file.formatted(blue, green,
                "{ blue: \"${BLUE_PORT}\", green: \"${GREEN_PORT}\" }"));
        Cli.Result templated = Cli.run("up", repo.toString(), "--branch", "templated", "--commit", "c5");
        assertThat(templated.exitCode()).as(templated.out() + templated.err()).isZero();
        assertThat(Files.readAllLines(repo.resolve("ports-templated.ports"))).containsExactly(String.valueOf(blue));
        Path pid = repo.resolve("ports-templated-blue.pid");
        ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).ifPresent(ProcessHandle::destroy);
    }

    /** A hook runs as the stage's commands: the stage's timeout stops it, with its process group. */
    @Test
    void aHookThatHangsIsStoppedByTheStagesTimeoutAndNothingStarts() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: hang
                stages:
                  - name: publish
                    timeout: 3s
                    deploy:
                      strategy: blue-green
                      target: script
                      colors: { blue: %d, green: %d }
                      before_start: echo $$ > hook.pid; exec sleep 600
                      start: touch started
                      switch: echo "$BERTH_COLOR" > live
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health", timeout: 10s }
                """.formatted(freePort(), freePort()));
        Cli.Result up = Cli.run("up", repo.toString(), "--branch", "main", "--commit", "c1");
        assertThat(up.exitCode()).as(up.out() + up.err()).isNotZero();
        assertThat(up.out()).contains("its timeout of 3s, so it was stopped");
        assertThat(repo.resolve("started")).doesNotExist();
        long hook = Long.parseLong(Files.readString(repo.resolve("hook.pid")).strip());
        assertThat(ProcessHandle.of(hook).map(ProcessHandle::isAlive).orElse(false)).as("the hook's process").isFalse();
    }

    private static void awaitFree(int port) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("port " + port + " is still taken");
    }
}
