package io.jenkins.plugins.berth.bluegreen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.environments.BlueGreenRecord;
import io.jenkins.plugins.berth.model.Deploy;
import io.jenkins.plugins.berth.model.Stage;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
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

    private int bluePort;
    private int greenPort;
    private int nginxPort;
    private Process nginx;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startNginx() throws Exception {
        assertThat(Path.of("/usr/sbin/nginx")).as("nginx is missing: run scripts/install-tools").isExecutable();
        bluePort = freePort();
        greenPort = freePort();
        nginxPort = freePort();
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("upstream.conf"), NginxTarget.upstreamBlock("app", Color.BLUE, bluePort));
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.writeString(dir.resolve("nginx.conf"), (root ? "user root;\n" : "") + """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    include %1$s/upstream.conf;
                    server {
                        listen 127.0.0.1:%2$d;
                        location / { proxy_pass http://app; }
                    }
                }
                """.formatted(dir, nginxPort));
        nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-g", "daemon off;").redirectErrorStream(true).redirectOutput(dir.resolve("logs/nginx.out").toFile())
                .start();
        awaitPort(nginxPort);
    }

    @AfterEach
    void stop() throws Exception {
        nginx.destroy();
        nginx.waitFor(10, TimeUnit.SECONDS);
        for (String color : List.of("blue", "green")) {
            Path pid = dir.resolve(color + ".pid");
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

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                assertThat(System.nanoTime()).as("port " + port + " opens").isLessThan(deadline);
                Thread.sleep(50);
            }
        }
    }

    private Deploy deploy() {
        return ((Stage.DeployAction) TestFiles.valid("""
                version: 1
                stages:
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: nginx
                      colors: { blue: %d, green: %d }
                      start: ./start
                      stop: ./stop
                      nginx: { upstream: app, upstream_file: upstream.conf, reload: nginx -s reload }
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health", timeout: 5s, interval: 1s, successes: 1 }
                      keep: 10m
                """.formatted(bluePort, greenPort)).stages().get(0).action()).deploy();
    }

    private void release(Color color, String version, boolean healthy) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(color.keyword()));
        Files.writeString(folder.resolve("version"), version);
        Files.deleteIfExists(folder.resolve("health"));
        if (healthy) {
            Files.writeString(folder.resolve("health"), "ok");
        }
    }

    private BlueGreen controller() {
        LocalCommandRunner runner = new LocalCommandRunner(dir);
        String nginxArgs = "/usr/sbin/nginx -p \"" + dir + "\" -c \"" + dir.resolve("nginx.conf") + "\"";
        NginxTarget target = new NginxTarget((what, command) -> {
            int exitCode;
            try {
                exitCode = runner.run(command, line -> log.add("[publish] " + line));
            } catch (IOException e) {
                throw new BerthException(e.getMessage(), e);
            }
            if (exitCode != 0) {
                throw new BerthException(what + " exited with code " + exitCode);
            }
        },
                "python3 -m http.server \"$BERTH_PORT\" --bind 127.0.0.1 --directory \"$BERTH_COLOR\" >\"$BERTH_COLOR.log\""
                        + " 2>&1 </dev/null & echo $! > \"$BERTH_COLOR.pid\"",
                Optional.of("kill \"$(cat \"$BERTH_COLOR.pid\")\"; rm \"$BERTH_COLOR.pid\""),
                "app", dir.resolve("upstream.conf"), nginxArgs + " -t", nginxArgs + " -s reload");
        Log recording = new Log() {
            @Override
            public void message(Level level, String text) {
                log.add(level + ": " + text);
            }

            @Override
            public void output(String task, String line) {
                log.add("[" + task + "] " + line);
            }
        };
        return new BlueGreen(target, new HealthCheck(Clock.systemUTC()), recording, Clock.systemUTC());
    }

    private BlueGreen.Request request(Deploy deploy) {
        Function<Color, Map<String, String>> variables = color -> Map.of("BERTH_COLOR", color.keyword(), "BERTH_PORT",
                String.valueOf(color.port(deploy.colors().orElseThrow())));
        return new BlueGreen.Request(deploy, variables,
                color -> "http://127.0.0.1:" + color.port(deploy.colors().orElseThrow()) + "/health",
                color -> "http://127.0.0.1:" + nginxPort + "/health", "up", Map.of());
    }

    /** Sends requests through nginx until stopped; counts answers by body and every failure. */
    private static final class Load implements AutoCloseable {
        final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger sent = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new CopyOnWriteArrayList<>();
        volatile String lastAnswer = "";

        Load(int port) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/version")).build();
            for (int i = 0; i < 4; i++) {
                Thread thread = new Thread(() -> {
                    while (running.get()) {
                        sent.incrementAndGet();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() != 200) {
                                failures.add("HTTP " + response.statusCode());
                            } else {
                                answers.computeIfAbsent(response.body(), b -> new AtomicInteger()).incrementAndGet();
                                lastAnswer = response.body();
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(10_000);
            }
        }
    }

    @Test
    void theSwitchDropsNoRequestAndAnUnhealthyColourNeverGetsTraffic() throws Exception {
        Deploy deploy = deploy();
        release(Color.BLUE, "v1", true);
        BlueGreenRecord first = controller().deploy(Optional.empty(), request(deploy));
        assertThat(first.live()).hasValue("blue");

        release(Color.GREEN, "v2", true);
        BlueGreenRecord second;
        try (Load load = new Load(nginxPort)) {
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
        try (Load load = new Load(nginxPort)) {
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
