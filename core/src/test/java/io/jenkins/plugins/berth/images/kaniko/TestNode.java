package io.jenkins.plugins.berth.images.kaniko;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The node and the Job controller, played by the test, since neither runs here: for each Job that is not
 * suspended it makes the pod (as the Job controller would, labelled {@code batch.kubernetes.io/job-name}, bound to
 * the node), reports its init container running (as the kubelet would), waits until {@link TestKubelet} received
 * the build context over the attach, then reports kaniko running and, as {@link Outcome} says, ended: the pod's
 * statuses and the Job's status (succeeded or failed, with the conditions the Job controller sets) are written
 * through the API, as the kubelet and the controller write them. kaniko itself never runs: its log is the lines the
 * test hands the kubelet.
 */
public final class TestNode implements AutoCloseable {

    static final String NODE = "test-node";

    /** What the build does once the context is in. */
    public enum Outcome { SUCCEED, FAIL, RUN_FOREVER, NEVER_START }

    private final KubernetesClient client;
    private final String namespace;
    private final TestKubelet kubelet;
    private final Function<Job, Outcome> outcomes;
    private final Function<Job, List<String>> logs;
    private final Thread thread;
    private final Map<String, String> stepOf = new ConcurrentHashMap<>();
    /** The Jobs this node built, by name, with their spec as it came. */
    public final Map<String, Job> seen = new ConcurrentHashMap<>();
    /** The registry Secret's docker config each Job's pod would have mounted, by Job. */
    final Map<String, String> dockerConfigs = new ConcurrentHashMap<>();
    /** The pods it made, by Job. */
    public final Map<String, String> pods = new ConcurrentHashMap<>();
    private volatile boolean closed;
    public volatile Throwable failure;
    private final java.util.function.Consumer<Job> kaniko;

    public TestNode(KubernetesClient client, String namespace, TestKubelet kubelet, Function<Job, Outcome> outcomes,
            Function<Job, List<String>> logs) {
        this(client, namespace, kubelet, outcomes, logs, job -> { });
    }

    /** As above; {@code kaniko} does what kaniko would before the Job succeeds (push the image, say). */
    public TestNode(KubernetesClient client, String namespace, TestKubelet kubelet, Function<Job, Outcome> outcomes,
            Function<Job, List<String>> logs, java.util.function.Consumer<Job> kaniko) {
        this.kaniko = kaniko;
        this.client = client;
        this.namespace = namespace;
        this.kubelet = kubelet;
        this.outcomes = outcomes;
        this.logs = logs;
        register();
        thread = new Thread(this::loop, "test-node");
        thread.setDaemon(true);
        thread.start();
    }

    /** The node object, its kubelet on 127.0.0.1 at the test kubelet's port, declaring WebSocket streaming. */
    private void register() {
        if (client.nodes().withName(NODE).get() == null) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(NODE).endMetadata().build()).create();
        }
        Node node = client.nodes().withName(NODE).get();
        node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder()
                .addNewAddress().withType("InternalIP").withAddress("127.0.0.1").endAddress()
                .withNewDaemonEndpoints().withNewKubeletEndpoint().withPort(kubelet.port).endKubeletEndpoint()
                .endDaemonEndpoints()
                .withDeclaredFeatures("ExtendWebSocketsToKubelet")
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition()
                .build());
        client.nodes().resource(node).updateStatus();
    }

    private void loop() {
        while (!closed) {
            try {
                for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
                    step(job);
                }
                // A deleted pod stays until its kubelet confirms its containers stopped, with a deletion of no grace.
                for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
                    if (pod.getMetadata().getDeletionTimestamp() != null) {
                        client.pods().inNamespace(namespace).resource(pod).withGracePeriod(0).delete();
                    }
                }
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            } catch (KubernetesClientException e) {
                if (!closed && e.getCode() != 404 && e.getCode() != 409) {
                    failure = e;
                }
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }

    private void step(Job job) {
        String name = job.getMetadata().getName();
        if (Boolean.TRUE.equals(job.getSpec().getSuspend()) || job.getMetadata().getDeletionTimestamp() != null) {
            return;
        }
        Outcome outcome = outcomes.apply(job);
        String step = stepOf.getOrDefault(name, "new");
        switch (step) {
            case "new" -> {
                seen.put(name, job);
                if (outcome == Outcome.NEVER_START) {
                    stepOf.put(name, "never");
                    return;
                }
                job.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> v.getSecret() != null)
                        .forEach(v -> {
                            var secret = client.secrets().inNamespace(namespace).withName(v.getSecret()
                                    .getSecretName()).get();
                            dockerConfigs.put(name, new String(java.util.Base64.getDecoder().decode(
                                    secret.getData().get(".dockerconfigjson")), java.nio.charset.StandardCharsets.UTF_8));
                        });
                Pod pod = createPod(job);
                pods.put(name, pod.getMetadata().getName());
                kubelet.log(pod.getMetadata().getName(), logs.apply(job));
                setJobStarted(job);
                setPodStatus(pod.getMetadata().getName(), "Pending", running("context", true), waiting("kaniko"));
                stepOf.put(name, "context");
            }
            case "context" -> {
                String pod = pods.get(name);
                if (kubelet.received.containsKey(pod)) {
                    setPodStatus(pod, "Running", terminated("context", 0, "Completed", true), running("kaniko", false));
                    stepOf.put(name, outcome == Outcome.RUN_FOREVER ? "forever" : "building");
                }
            }
            case "building" -> {
                String pod = pods.get(name);
                // The log is read once kaniko runs; wait for the reader (a real kaniko would take longer), then end.
                boolean read = kubelet.requests.stream().anyMatch(r -> r.contains("/containerLogs/" + namespace + "/"
                        + pod + "/kaniko"));
                if (read) {
                    boolean ok = outcome == Outcome.SUCCEED;
                    if (ok) {
                        kaniko.accept(job);
                    }
                    setPodStatus(pod, ok ? "Succeeded" : "Failed", terminated("context", 0, "Completed", true),
                            terminated("kaniko", ok ? 0 : 1, ok ? "Completed" : "Error", false));
                    finishJob(name, ok);
                    stepOf.put(name, "done");
                }
            }
            default -> { }
        }
    }

    private Pod createPod(Job job) {
        String jobName = job.getMetadata().getName();
        Map<String, String> labels = new HashMap<>(job.getSpec().getTemplate().getMetadata().getLabels());
        labels.put("batch.kubernetes.io/job-name", jobName);
        labels.put("job-name", jobName);
        Pod pod = new PodBuilder()
                .withNewMetadata().withName(jobName + "-x7k2q").withNamespace(namespace).withLabels(labels)
                    .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName(jobName)
                        .withUid(job.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(true)
                    .endOwnerReference()
                .endMetadata()
                .withSpec(job.getSpec().getTemplate().getSpec())
                .build();
        pod.getSpec().setNodeName(NODE);
        return client.pods().inNamespace(namespace).resource(pod).create();
    }

    private void setPodStatus(String pod, String phase, ContainerStatus init, ContainerStatus main) {
        Pod current = client.pods().inNamespace(namespace).withName(pod).get();
        current.setStatus(new PodStatusBuilder().withPhase(phase).withHostIP("127.0.0.1").withPodIP("10.244.0.9")
                .withInitContainerStatuses(init).withContainerStatuses(main)
                .addNewCondition().withType("PodScheduled").withStatus("True").endCondition().build());
        client.pods().inNamespace(namespace).resource(current).updateStatus();
    }

    private void setJobStarted(Job job) {
        Job current = client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).get();
        current.getStatus().setStartTime(Instant.now().toString());
        current.getStatus().setActive(1);
        client.batch().v1().jobs().inNamespace(namespace).resource(current).updateStatus();
    }

    private void finishJob(String name, boolean ok) {
        Job current = client.batch().v1().jobs().inNamespace(namespace).withName(name).get();
        String now = Instant.now().toString();
        current.getStatus().setActive(0);
        current.getStatus().setReady(0);
        current.getStatus().setTerminating(0);
        if (ok) {
            current.getStatus().setSucceeded(1);
            current.getStatus().setCompletionTime(now);
            current.getStatus().setConditions(List.of(
                    new JobConditionBuilder().withType("SuccessCriteriaMet").withStatus("True")
                            .withReason("CompletionsReached").withLastTransitionTime(now).build(),
                    new JobConditionBuilder().withType("Complete").withStatus("True")
                            .withReason("CompletionsReached").withLastTransitionTime(now).build()));
        } else {
            current.getStatus().setFailed(1);
            current.getStatus().setConditions(List.of(
                    new JobConditionBuilder().withType("FailureTarget").withStatus("True")
                            .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                            .withLastTransitionTime(now).build(),
                    new JobConditionBuilder().withType("Failed").withStatus("True")
                            .withReason("BackoffLimitExceeded").withMessage("Job has reached the specified backoff limit")
                            .withLastTransitionTime(now).build()));
        }
        client.batch().v1().jobs().inNamespace(namespace).resource(current).updateStatus();
    }

    private static ContainerStatus running(String name, boolean init) {
        return new ContainerStatusBuilder().withName(name).withImage("image").withImageID("").withReady(!init)
                .withRestartCount(0).withNewState().withNewRunning().withStartedAt(Instant.now().toString())
                .endRunning().endState().build();
    }

    private static ContainerStatus waiting(String name) {
        return new ContainerStatusBuilder().withName(name).withImage("image").withImageID("").withReady(false)
                .withRestartCount(0).withNewState().withNewWaiting().withReason("PodInitializing").endWaiting()
                .endState().build();
    }

    private static ContainerStatus terminated(String name, int code, String reason, boolean init) {
        String now = Instant.now().toString();
        return new ContainerStatusBuilder().withName(name).withImage("image").withImageID("").withReady(false)
                .withRestartCount(0).withNewState().withNewTerminated().withExitCode(code).withReason(reason)
                .withStartedAt(now).withFinishedAt(now).endTerminated().endState().build();
    }

    /** The Jobs whose every step this node took. */
    public Set<String> finished() {
        Set<String> done = new java.util.HashSet<>();
        stepOf.forEach((job, step) -> {
            if (step.equals("done")) {
                done.add(job);
            }
        });
        return done;
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        thread.interrupt();
        thread.join(5000);
    }
}
