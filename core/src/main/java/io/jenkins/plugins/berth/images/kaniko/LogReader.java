package io.jenkins.plugins.berth.images.kaniko;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import io.jenkins.plugins.berth.run.Log;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Streams a container's log into a task's output, line by line, on a thread of its own (the build's thread watches
 * the Job meanwhile). The log comes through the API server from the node's kubelet; when it cannot be read (no
 * kubelet answers, the node is gone), the build goes on without it and says so once: the Job's result is the
 * build's either way.
 */
final class LogReader implements AutoCloseable {

    private final Thread thread;
    private volatile LogWatch watch;
    private volatile boolean closed;

    private LogReader(Thread thread) {
        this.thread = thread;
    }

    static LogReader start(KubernetesClient client, String namespace, String pod, String container, Log log,
            String task, String image) {
        LogReader[] self = new LogReader[1];
        Thread thread = new Thread(() -> self[0].read(client, namespace, pod, container, log, task, image),
                "berth-kaniko-log-" + pod);
        thread.setDaemon(true);
        self[0] = new LogReader(thread);
        thread.start();
        return self[0];
    }

    private void read(KubernetesClient client, String namespace, String pod, String container, Log log, String task,
            String image) {
        try {
            watch = client.pods().inNamespace(namespace).withName(pod).inContainer(container).withReadyWaitTimeout(0)
                    .watchLog();
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(watch.getOutput(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    log.output(task, line);
                }
            }
            // A refused log (the kubelet answered with an error) ends the stream as an empty one: the client says
            // why only here.
            Throwable refused = watch.onClose().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
            if (refused != null && !closed) {
                log.warning("image " + image + ": the log of " + pod + "/" + container + " cannot be read ("
                        + (refused instanceof KubernetesClientException k ? KanikoJob.message(k) : refused.getMessage())
                        + "); the build goes on without it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the stream ended without the client saying more
        } catch (KubernetesClientException | IOException e) {
            if (!closed) {
                log.warning("image " + image + ": the log of " + pod + "/" + container + " cannot be read ("
                        + (e instanceof KubernetesClientException k ? KanikoJob.message(k) : e.getMessage())
                        + "); the build goes on without it");
            }
        }
    }

    /** Waits until the log ended (the container did), at most {@code limit}. */
    void awaitEnd(Duration limit) throws InterruptedException {
        thread.join(limit.toMillis());
    }

    @Override
    public void close() {
        closed = true;
        LogWatch current = watch;
        if (current != null) {
            current.close();
        }
        thread.interrupt();
    }
}
