package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.LogLines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nginx target for real: nginx on 127.0.0.1 in front of two HTTP servers (one per colour), with a
 * load loop sending requests through nginx the whole time. No request may fail.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NginxUnderLoadTest {

    @TempDir
    Path dir;

    private TestNginx nginx;
    private int bluePort;
    private int greenPort;
    private int nginxPort;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startNginx() throws Exception {
        nginx = TestNginx.start(dir);
        bluePort = nginx.bluePort;
        greenPort = nginx.greenPort;
        nginxPort = nginx.port;
    }

    @AfterEach
    void stop() throws Exception {
        nginx.close();
    }

    private Deploy deploy() {
        return nginx.deploy("timeout: 5s, interval: 1s, successes: 1", "keep: 10m");
    }

    private void release(Color color, String version, boolean healthy) throws IOException {
        nginx.release(color, version, healthy);
    }

    private BlueGreen controller() {
        Log recording = LogLines.into(log);
        return new BlueGreen(nginx.target(recording), new HealthCheck(Clock.systemUTC()), recording,
                Clock.systemUTC());
    }

    private BlueGreen.Request request(Deploy deploy) {
        return nginx.request(deploy, "/health");
    }

    @Test
    void theSwitchDropsNoRequestAndAnUnhealthyColourNeverGetsTraffic() throws Exception {
        Deploy deploy = deploy();
        release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller().deploy(Optional.empty(), request(deploy));
        assertThat(first.live()).hasValue("blue");

        release(Color.GREEN, "v2", true);
        BlueGreenRecord second;
        try (LoadLoop load = new LoadLoop(nginxPort, "/version")) {
            Thread.sleep(300);
            second = controller().deploy(Optional.of(first), request(deploy));
            Thread.sleep(500);
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.answers).containsKeys("v1", "v2");
            assertThat(load.lastAnswer).isEqualTo("v2");
        }
        assertThat(second.live()).hasValue("green");

        // The next version is broken: its health check fails, traffic stays on green.
        release(Color.BLUE, "v3", false);
        try (LoadLoop load = new LoadLoop(nginxPort, "/version")) {
            Thread.sleep(300);
            assertThatThrownBy(() -> controller().deploy(Optional.of(second), request(deploy)))
                    .isInstanceOf(BlueGreen.DeployFailedException.class)
                    .hasMessageContaining("traffic is untouched (still on green)");
            load.close();
            assertThat(load.failures).as("failed requests of " + load.sent.get()).isEmpty();
            assertThat(load.answers).containsOnlyKeys("v2");
        }
        assertThat(Files.readString(dir.resolve("upstream.conf"))).contains("server 127.0.0.1:" + greenPort + ";");
    }

    @Test
    void aConfigurationNginxRefusesIsPutBackAndNothingReloads() throws Exception {
        Deploy deploy = deploy();
        release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller().deploy(Optional.empty(), request(deploy));
        String before = Files.readString(dir.resolve("upstream.conf"));
        // Break the main configuration so that nginx -t fails whatever Berth writes.
        Path conf = dir.resolve("nginx.conf");
        String good = Files.readString(conf);
        Files.writeString(conf, good.replace("events {", "events { nonsense_directive on;"));
        release(Color.GREEN, "v2", true);
        assertThatThrownBy(() -> controller().deploy(Optional.of(first), request(deploy)))
                .hasMessageContaining("nginx refused the configuration with green live");
        assertThat(Files.readString(dir.resolve("upstream.conf"))).isEqualTo(before);
        Files.writeString(conf, good);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + nginxPort + "/version")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("v1");
    }
}
