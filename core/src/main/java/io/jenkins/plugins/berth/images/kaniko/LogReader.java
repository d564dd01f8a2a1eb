package io.jenkins.plugins.berth.images.kaniko;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.jenkins.plugins.berth.run.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Streams a container's log into a task's output, line by line, on a thread of its own (the build's thread watches
 * the Job meanwhile): the pod's {@code log} subresource with {@code follow=true}, through the client's own HTTP
 * client (its TLS and credentials), so that a refusal comes back as the status it is. The log comes through the API
 * server from the node's kubelet; when it cannot be read (no kubelet answers, the runtime lost it), the build goes
 * on without it and says so once: the Job's result is the build's either way.
 */
final class LogReader implements AutoCloseable {

    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile InputStream body;
    private volatile boolean closed;
    private Thread thread;

    private LogReader() {}

    static LogReader start(KubernetesClient client, String namespace, String pod, String container, Log log,
            String task, String image) {
        LogReader reader = new LogReader();
        reader.thread = new Thread(() -> reader.read(client, namespace, pod, container, log, task, image),
                "berth-kaniko-log-" + pod);
        reader.thread.setDaemon(true);
        reader.thread.start();
        return reader;
    }

    private void read(KubernetesClient client, String namespace, String pod, String container, Log log, String task,
            String image) {
        String url = client.getMasterUrl().toString().replaceAll("/+$", "") + "/api/v1/namespaces/"
                + encode(namespace) + "/pods/" + encode(pod) + "/log?container=" + encode(container) + "&follow=true";
        try {
            HttpRequest request = client.getHttpClient().newHttpRequestBuilder().uri(url).build();
            HttpResponse<InputStream> response = client.getHttpClient().sendAsync(request, InputStream.class).get();
            body = response.body();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                if (response.code() != 200) {
                    StringBuilder text = new StringBuilder();
                    for (String line = lines.readLine(); line != null && text.length() < 2000; line = lines.readLine()) {
                        text.append(line);
                    }
                    warn(log, image, pod, container, "HTTP " + response.code() + ": " + text.toString().strip());
                    return;
                }
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    log.output(task, line);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | IOException | RuntimeException e) {
            if (!closed) {
                warn(log, image, pod, container, String.valueOf(e instanceof ExecutionException ? e.getCause()
                        : e));
            }
        } finally {
            ended.countDown();
        }
    }

    private void warn(Log log, String image, String pod, String container, String why) {
        if (!closed) {
            log.warning("image " + image + ": the log of " + pod + "/" + container + " cannot be read (" + why
                    + "); the build goes on without it");
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** Waits until the log ended (the container did) or was refused, at most {@code limit}. */
    void awaitEnd(Duration limit) throws InterruptedException {
        ended.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closed = true;
        InputStream current = body;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // the stream is being given up
            }
        }
        thread.interrupt();
    }
}
