package io.jenkins.plugins.berth.bluegreen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Four clients sending requests for {@code path} through nginx until closed: every answer counted by its body,
 * every failure kept. The tests' measure of lost requests.
 */
final class LoadLoop implements AutoCloseable {
    final Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
    final List<String> failures = new CopyOnWriteArrayList<>();
    /** When each failure happened ({@code System.nanoTime()}), for the error window of a benchmark. */
    final List<Long> failedAt = new CopyOnWriteArrayList<>();
    final AtomicInteger sent = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    volatile String lastAnswer = "";

    LoadLoop(int port, String path) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
        for (int i = 0; i < 4; i++) {
            Thread thread = new Thread(() -> {
                while (running.get()) {
                    sent.incrementAndGet();
                    try {
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            failedAt.add(System.nanoTime());
                            failures.add("HTTP " + response.statusCode());
                        } else {
                            answers.computeIfAbsent(response.body(), b -> new AtomicInteger()).incrementAndGet();
                            lastAnswer = response.body();
                        }
                    } catch (IOException e) {
                        failedAt.add(System.nanoTime());
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
