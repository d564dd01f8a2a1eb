package io.jenkins.plugins.berth.bluegreen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Not a test: the nginx target's switch latency, from "the new colour is healthy" to "nginx serves
 * it": writing the upstream, {@code nginx -t}, reload, and the first answer of the new version
 * through nginx. Run it with {@code scripts/benchmark switch}.
 */
public final class SwitchLatencyBenchmark {

    private static final int SWITCHES = 20;

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("berth-switch-bench");
        try (TestNginx nginx = TestNginx.start(dir)) {
            NginxTarget target = nginx.target(new io.jenkins.plugins.berth.run.Log() {
                @Override
                public void message(Level level, String text) {}

                @Override
                public void output(String task, String line) {}
            });
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port + "/version")).build();
            nginx.release(Color.BLUE, "blue", true);
            nginx.release(Color.GREEN, "green", true);
            for (Color color : Color.values()) {
                Map<String, String> variables = Map.of("BERTH_COLOR", color.keyword(), "BERTH_PORT",
                        String.valueOf(color == Color.BLUE ? nginx.bluePort : nginx.greenPort));
                target.deploy(color, variables);
                TestNginx.awaitPort(color == Color.BLUE ? nginx.bluePort : nginx.greenPort);
            }
            long[] nanos = new long[SWITCHES];
            Color live = Color.BLUE;
            for (int i = 0; i < SWITCHES; i++) {
                Color next = live.other();
                Map<String, String> variables = Map.of("BERTH_COLOR", next.keyword(), "BERTH_PORT",
                        String.valueOf(next == Color.BLUE ? nginx.bluePort : nginx.greenPort));
                long start = System.nanoTime();
                target.switchTo(next, variables);
                while (!http.send(request, HttpResponse.BodyHandlers.ofString()).body().equals(next.keyword())) {
                    Thread.onSpinWait();
                }
                nanos[i] = System.nanoTime() - start;
                live = next;
            }
            Arrays.sort(nanos);
            System.out.printf(Locale.ROOT, "nginx switch, healthy to serving, %d switches:%n", SWITCHES);
            System.out.printf(Locale.ROOT, "  median %.1f ms, fastest %.1f ms, slowest %.1f ms%n", nanos[SWITCHES / 2] / 1e6,
                    nanos[0] / 1e6, nanos[SWITCHES - 1] / 1e6);
        }
    }
}
