package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.LogLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every path of the controller with the script target: real bash commands starting real HTTP servers
 * (python3's http.server) per colour on 127.0.0.1.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlueGreenTest {

    @TempDir
    Path apps;

    private int bluePort;
    private int greenPort;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private MutableClock clock;

    @BeforeEach
    void ports() throws IOException {
        bluePort = freePort();
        greenPort = freePort();
        clock = new MutableClock(Instant.parse("2026-11-22T10:00:00Z"));
    }

    @AfterEach
    void stopEverything() throws IOException {
        for (String color : List.of("blue", "green")) {
            Path pid = apps.resolve(color + ".pid");
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

    private Deploy deploy(String keep) {
        return ((Stage.DeployAction) TestFiles.valid("""
                version: 1
                stages:
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: script
                      colors: { blue: %d, green: %d }
                      start: ./start
                      stop: ./stop
                      switch: ./switch
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health", timeout: 3s, interval: 1s, successes: 1 }
                      keep: %s
                """.formatted(bluePort, greenPort, keep)).stages().get(0).action()).deploy();
    }

    /** The version each colour serves: written before its deploy, so "start" serves it. */
    private void release(Color color, String version, boolean healthy) throws IOException {
        Path folder = Files.createDirectories(apps.resolve(color.keyword()));
        Files.writeString(folder.resolve("version"), version);
        Files.deleteIfExists(folder.resolve("health"));
        if (healthy) {
            Files.writeString(folder.resolve("health"), "ok");
        }
    }

    private ScriptTarget target(Log recording) {
        return new ScriptTarget(Scripts.of(new LocalCommandRunner(apps), recording, "publish"),
                "python3 -m http.server \"$BERTH_PORT\" --bind 127.0.0.1 --directory \"$BERTH_COLOR\" >\"$BERTH_COLOR.log\""
                        + " 2>&1 </dev/null & echo $! > \"$BERTH_COLOR.pid\"",
                Optional.of("kill \"$(cat \"$BERTH_COLOR.pid\")\"; rm \"$BERTH_COLOR.pid\""),
                "echo \"$BERTH_COLOR\" > live");
    }

    private BlueGreen controller() {
        Log recording = LogLines.into(log);
        return new BlueGreen(target(recording), new HealthCheck(Clock.systemUTC()), recording, clock);
    }

    private BlueGreen.Request request(Deploy deploy, Function<Color, String> liveUrl) {
        Function<Color, Map<String, String>> variables = color -> Map.of("BERTH_COLOR", color.keyword(), "BERTH_PORT",
                String.valueOf(color.port(deploy.colors().orElseThrow())));
        Function<Color, String> health = color -> "http://127.0.0.1:" + color.port(deploy.colors().orElseThrow())
                + "/health";
        return new BlueGreen.Request(deploy, variables, health, liveUrl, "up", Map.of("web", "r/web@sha256:1"));
    }

    private BlueGreen.Request request(Deploy deploy) {
        return request(deploy, color -> "http://127.0.0.1:" + color.port(deploy.colors().orElseThrow()) + "/version");
    }

    private boolean running(Color color) {
        return Files.exists(apps.resolve(color.keyword() + ".pid"));
    }

    private String live() throws IOException {
        return Files.readString(apps.resolve("live")).strip();
    }

    @Test
    void deploysAlternateColoursKeepThePreviousOneAndReplaceItOnTheNextDeploy() throws Exception {
        Deploy deploy = deploy("10m");
        release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller().deploy(Optional.empty(), request(deploy));
        assertThat(first.live()).hasValue("blue");
        assertThat(first.previous()).isEmpty();
        assertThat(live()).isEqualTo("blue");

        release(Color.GREEN, "v2", true);
        BlueGreenRecord second = controller().deploy(Optional.of(first), request(deploy));
        assertThat(second.live()).hasValue("green");
        assertThat(second.previous()).hasValue("blue");
        assertThat(second.retirePreviousAt()).hasValue(clock.instant().plus(Duration.ofMinutes(10)));
        assertThat(running(Color.BLUE)).as("kept for rollback").isTrue();
        assertThat(live()).isEqualTo("green");

        release(Color.BLUE, "v3", true);
        BlueGreenRecord third = controller().deploy(Optional.of(second), request(deploy));
        assertThat(log).contains("INFO: retiring blue (kept for rollback) to deploy into it");
        assertThat(third.live()).hasValue("blue");
        assertThat(third.previous()).hasValue("green");
        assertThat(third.history()).extracting(BlueGreenRecord.Deployment::color, BlueGreenRecord.Deployment::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("blue", "succeeded"),
                        org.assertj.core.groups.Tuple.tuple("green", "succeeded"),
                        org.assertj.core.groups.Tuple.tuple("blue", "succeeded"));
    }

    @Test
    void anUnhealthyColourNeverGetsTrafficAndIsCleanedUp() throws Exception {
        Deploy deploy = deploy("10m");
        release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller().deploy(Optional.empty(), request(deploy));
        release(Color.GREEN, "v2", false);
        assertThatThrownBy(() -> controller().deploy(Optional.of(first), request(deploy)))
                .isInstanceOfSatisfying(BlueGreen.DeployFailedException.class, e -> {
                    assertThat(e.getMessage()).startsWith("blue-green health check of green failed: http://127.0.0.1:"
                            + greenPort + "/health did not answer 2xx within 3s (last: HTTP 404)")
                            .endsWith("; traffic is untouched (still on blue)");
                    assertThat(e.colors().live()).hasValue("blue");
                    assertThat(e.colors().history()).last().extracting(BlueGreenRecord.Deployment::result)
                            .isEqualTo("failed at health check");
                });
        assertThat(live()).isEqualTo("blue");
        assertThat(running(Color.GREEN)).as("cleaned up").isFalse();
        assertThat(running(Color.BLUE)).isTrue();
    }

    @Test
    void aFailureAfterTheSwitchSwitchesBackWhileThePreviousColourRuns() throws Exception {
        Deploy deploy = deploy("10m");
        release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller().deploy(Optional.empty(), request(deploy));
        release(Color.GREEN, "v2", true);
        // The live endpoint fails once green is live (as a proxy would, misconfigured for it).
        int nothing = freePort();
        assertThatThrownBy(() -> controller().deploy(Optional.of(first), request(deploy,
                color -> "http://127.0.0.1:" + nothing + "/")))
                .isInstanceOfSatisfying(BlueGreen.DeployFailedException.class, e -> {
                    assertThat(e.getMessage()).startsWith("blue-green deploy of green failed after the switch, switched"
                            + " back to blue: ");
                    assertThat(e.colors().live()).hasValue("blue");
                });
        assertThat(live()).isEqualTo("blue");
        assertThat(running(Color.GREEN)).isFalse();
        assertThat(log).anyMatch(line -> line.startsWith("ERROR: verification failed after the switch (")
                && line.endsWith("); switching back to blue"));
    }

    @Test
    void rollbackSwitchesBackWhileThePreviousColourRunsAndNotAfterItIsRetired() throws Exception {
        Deploy deploy = deploy("10m");
        release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller().deploy(Optional.empty(), request(deploy));
        release(Color.GREEN, "v2", true);
        BlueGreenRecord second = controller().deploy(Optional.of(first), request(deploy));
        BlueGreenRecord rolledBack = controller().rollback(second, request(deploy));
        assertThat(rolledBack.live()).hasValue("blue");
        assertThat(rolledBack.previous()).hasValue("green");
        assertThat(live()).isEqualTo("blue");

        // Once keep has run out, the previous colour is retired and there is nothing to roll back to.
        clock.advance(Duration.ofMinutes(11));
        BlueGreenRecord retired = controller().retireExpired(rolledBack, request(deploy).variables());
        assertThat(retired.previous()).isEmpty();
        assertThat(running(Color.GREEN)).isFalse();
        assertThatThrownBy(() -> controller().rollback(retired, request(deploy)))
                .hasMessageStartingWith("there is nothing to roll back to");
    }

    @Test
    void keepZeroRetiresThePreviousColourAtOnce() throws Exception {
        Deploy deploy = deploy("0");
        release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller().deploy(Optional.empty(), request(deploy));
        release(Color.GREEN, "v2", true);
        BlueGreenRecord second = controller().deploy(Optional.of(first), request(deploy));
        assertThat(second.previous()).isEmpty();
        assertThat(running(Color.BLUE)).isFalse();
        assertThat(running(Color.GREEN)).isTrue();
    }

    /** A clock the test moves forward. */
    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
