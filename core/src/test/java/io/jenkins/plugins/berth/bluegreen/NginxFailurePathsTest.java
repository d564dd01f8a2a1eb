package io.jenkins.plugins.berth.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The paths where a blue-green deploy goes wrong, for real: nginx in front of two colours, a load loop through
 * nginx the whole time, failed requests counted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NginxFailurePathsTest {

    @TempDir
    Path dir;

    private TestNginx nginx;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startNginx() throws Exception {
        nginx = TestNginx.start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        nginx.close();
    }

    private Deploy deploy(String keep, String drain, String healthTimeout) {
        return deploy(keep, drain, healthTimeout, false);
    }

    private Deploy deploy(String keep, String drain, String healthTimeout, boolean requireDeployId) {
        return nginx.deploy("timeout: " + healthTimeout + ", interval: 1s, successes: 2, require_deploy_id: "
                + requireDeployId, "keep: " + keep, "drain: " + drain);
    }

    private BlueGreen controller(Target target) {
        Log recording = LogLines.into(log);
        return new BlueGreen(target, new HealthCheck(Clock.systemUTC()), recording, Clock.systemUTC());
    }

    private NginxTarget target() {
        return nginx.target(LogLines.into(log));
    }

    private BlueGreen.Request request(Deploy deploy, String livePath) {
        return nginx.request(deploy, livePath);
    }

    private BlueGreenRecord blueServingV1(Deploy deploy) throws Exception {
        nginx.release(Color.BLUE, "v1", true);
        return controller(target()).deploy(Optional.empty(), request(deploy, "/health"));
    }

    @Test
    void aFailedVerificationSwitchesBackAtTheFirstFailureNotAtTheTimeout() throws Exception {
        Deploy deploy = deploy("10m", "1s", "20s");
        BlueGreenRecord first = blueServingV1(deploy);
        // v2 passes its own health check but serves clients nothing: /version is missing.
        nginx.release(Color.GREEN, "v2", true);
        Files.delete(dir.resolve("green/version"));
        long start;
        long took;
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            start = System.nanoTime();
            assertThatThrownBy(() -> controller(target()).deploy(Optional.of(first), request(deploy, "/version")))
                    .isInstanceOf(BlueGreen.DeployFailedException.class)
                    .hasMessageContaining("failed after the switch, switched back to blue")
                    .hasMessageContaining("failure_limit: 0");
            took = System.nanoTime() - start;
            Thread.sleep(300);
            load.close();
            assertThat(load.lastAnswer).isEqualTo("v1");
        }
        // Old behaviour: clients got errors for the whole 20 s timeout before the switch back.
        assertThat(Duration.ofNanos(took)).isLessThan(Duration.ofSeconds(12));
        assertThat(target().live()).hasValue(Color.BLUE);
    }

    @Test
    void theColourTrafficLeftDrainsBeforeItStopsSoNoRequestInFlightIsCut() throws Exception {
        Deploy drained = deploy("0s", "3s", "5s");
        BlueGreenRecord first = blueServingV1(drained);
        nginx.release(Color.GREEN, "v2", true);
        try (LoadLoop load = new LoadLoop(nginx.port, "/slow")) {
            Thread.sleep(500);
            BlueGreenRecord second = controller(target()).deploy(Optional.of(first), request(drained, "/health"));
            assertThat(second.live()).hasValue("green");
            Thread.sleep(2500);
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.answers).containsKeys("v1", "v2");
        }
        assertThat(log).anyMatch(line -> line.contains("draining blue for 3.0s before it stops"));

        // The same without a drain cuts the requests blue was answering: the measure above can fail.
        Deploy cut = deploy("0s", "0s", "5s");
        nginx.release(Color.BLUE, "v3", true);
        try (LoadLoop load = new LoadLoop(nginx.port, "/slow")) {
            Thread.sleep(500);
            controller(target()).deploy(Optional.of(new BlueGreenRecord(Optional.of("green"), Optional.empty(),
                    Optional.empty(), List.of())), request(cut, "/health"));
            Thread.sleep(2500);
            load.close();
            assertThat(load.failures).as("requests cut by stopping green at once").isNotEmpty();
        }
    }

    @Test
    void aReloadThatFailsPutsTheUpstreamFileBackSoTheNextReloadServesTheLiveColour() throws Exception {
        Deploy deploy = deploy("10m", "0s", "5s");
        BlueGreenRecord first = blueServingV1(deploy);
        String before = Files.readString(dir.resolve("upstream.conf"));
        nginx.release(Color.GREEN, "v2", true);
        NginxTarget target = target();
        NginxTarget failingReload = new NginxTarget(Scripts.of(new io.jenkins.plugins.berth.run.LocalCommandRunner(dir),
                LogLines.into(log), "publish"), "true", Optional.of("true"), "app", dir.resolve("upstream.conf"),
                "true", "echo reload refused >&2; exit 1");
        assertThatThrownBy(() -> failingReload.switchTo(Color.GREEN, Map.of("BERTH_COLOR", "green", "BERTH_PORT",
                String.valueOf(nginx.greenPort))))
                .hasMessageContaining("the reload with green live failed")
                .hasMessageContaining("is back as it was");
        assertThat(Files.readString(dir.resolve("upstream.conf"))).isEqualTo(before);
        assertThat(target.live()).hasValue(Color.BLUE);
        assertThat(first.live()).hasValue("blue");
    }

    @Test
    void aSwitchThatMovedTrafficThenFailedIsSentBackBeforeTheNewColourStops() throws Exception {
        Deploy deploy = deploy("10m", "1s", "5s");
        BlueGreenRecord first = blueServingV1(deploy);
        nginx.release(Color.GREEN, "v2", true);
        NginxTarget nginxTarget = target();
        // As a switch script that moved traffic and then exited non-zero.
        Target halfSwitch = new Target() {
            @Override
            public void deploy(Color color, Map<String, String> variables) throws BerthException, IOException,
                    InterruptedException {
                nginxTarget.deploy(color, variables);
            }

            @Override
            public void switchTo(Color color, Map<String, String> variables) throws BerthException, IOException,
                    InterruptedException {
                nginxTarget.switchTo(color, variables);
                if (color == Color.GREEN) {
                    throw new BerthException("switch script exited with code 1 after moving traffic");
                }
            }

            @Override
            public void retire(Color color, Map<String, String> variables) throws BerthException, IOException,
                    InterruptedException {
                nginxTarget.retire(color, variables);
            }
        };
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            assertThatThrownBy(() -> controller(halfSwitch).deploy(Optional.of(first), request(deploy, "/health")))
                    .hasMessageContaining("traffic is untouched (still on blue) (switched back to blue to be sure)");
            Thread.sleep(300);
            load.close();
            // Without the switch back, green was stopped while it served.
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.lastAnswer).isEqualTo("v1");
        }
    }

    @Test
    void aRollbackToAColourThatDiedIsRefusedAndTrafficStays() throws Exception {
        Deploy deploy = deploy("10m", "0s", "5s");
        BlueGreenRecord first = blueServingV1(deploy);
        nginx.release(Color.GREEN, "v2", true);
        BlueGreenRecord second = controller(target()).deploy(Optional.of(first), request(deploy, "/health"));
        assertThat(second.previous()).hasValue("blue");
        ProcessHandle.of(Long.parseLong(Files.readString(dir.resolve("blue.pid")).trim())).orElseThrow().destroy();
        Thread.sleep(500);
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            assertThatThrownBy(() -> controller(target()).rollback(second, request(deploy, "/health")))
                    .hasMessageContaining("cannot roll back to blue: it does not answer its health check")
                    .hasMessageContaining("traffic stays on green");
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.answers).containsOnlyKeys("v2");
        }
    }

    @Test
    void aRunKilledBetweenItsSwitchAndItsRecordIsReconciledFromWhatNginxServes() throws Exception {
        Deploy deploy = deploy("10m", "1s", "5s");
        BlueGreenRecord first = blueServingV1(deploy);
        // The killed run: green started and switched to, the record never written (it still says blue).
        nginx.release(Color.GREEN, "v2", true);
        NginxTarget target = target();
        Map<String, String> green = Map.of("BERTH_COLOR", "green", "BERTH_PORT", String.valueOf(nginx.greenPort));
        target.deploy(Color.GREEN, green);
        TestNginx.awaitPort(nginx.greenPort);
        target.switchTo(Color.GREEN, green);

        nginx.release(Color.BLUE, "v3", true);
        BlueGreenRecord third;
        try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
            Thread.sleep(300);
            third = controller(target()).deploy(Optional.of(first), request(deploy, "/health"));
            Thread.sleep(300);
            load.close();
            // Going on from the stale record would have deployed into green, the colour serving.
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.lastAnswer).isEqualTo("v3");
        }
        assertThat(third.live()).hasValue("blue");
        assertThat(third.previous()).hasValue("green");
        assertThat(log).anyMatch(line -> line.contains("the record says blue is live, but the target sends traffic to"
                + " green"));
    }

    @Test
    void aStrayProcessOnTheIdlePortNeverPassesForTheDeploy() throws Exception {
        Deploy deploy = deploy("10m", "0s", "4s", true);
        BlueGreenRecord first = blueServingV1(deploy);
        // Something Berth did not start holds green's port and answers /health with 200.
        Path stray = Files.createDirectories(dir.resolve("stray"));
        Files.writeString(stray.resolve("health"), "ok");
        Process squatter = new ProcessBuilder("python3", "-m", "http.server", String.valueOf(nginx.greenPort),
                "--bind", "127.0.0.1", "--directory", stray.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stray.log").toFile()).start();
        try {
            TestNginx.awaitPort(nginx.greenPort);
            nginx.release(Color.GREEN, "v2", true);
            try (LoadLoop load = new LoadLoop(nginx.port, "/version")) {
                Thread.sleep(300);
                assertThatThrownBy(() -> controller(target()).deploy(Optional.of(first), request(deploy, "/health")))
                        .hasMessageContaining("without this deploy's id (BERTH_DEPLOY_ID green-")
                        .hasMessageContaining("traffic is untouched (still on blue)");
                load.close();
                // Without the id the stray passed the check and got the traffic: every /version a 404.
                assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
                assertThat(load.answers).containsOnlyKeys("v1");
            }
        } finally {
            squatter.destroy();
            squatter.waitFor(10, TimeUnit.SECONDS);
        }
    }

}
