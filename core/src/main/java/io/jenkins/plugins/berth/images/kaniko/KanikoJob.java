package io.jenkins.plugins.berth.images.kaniko;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.jenkins.plugins.berth.Sha256;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.model.Durations;
import io.jenkins.plugins.berth.model.KanikoJobSettings;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * One image build as a Kubernetes Job ({@code builder: kaniko-job}). In order:
 * <ol>
 * <li>the objects an earlier run of this environment left behind for this image (killed before its clean-up) are
 * removed;</li>
 * <li>a suspended Job is made, then the registry Secret (a docker {@code config.json} with the credentials for the
 * image's registry only) and the claim for the context, both owned by the Job, so that the cluster's garbage
 * collector removes them with it should Berth die; then the Job is resumed;</li>
 * <li>its pod's init container ({@code context}) runs {@code tar -x -f - -C /workspace} on its standard input:
 * Berth attaches to it and streams the context (exactly the files the content tag was computed from) as a tar, the
 * way {@code kubectl run -i} feeds kaniko's own {@code tar://stdin}; once the tar is in, the container ends;</li>
 * <li>the {@code kaniko} container runs the executor with the same arguments as {@code builder: kaniko}, the context
 * in the claim and the Secret as {@code /kaniko/.docker/config.json}; its log is streamed into the task's output
 * (masked, as every output line);</li>
 * <li>the Job's own result is the build's: {@code Complete} succeeds, {@code Failed} fails with the Job's reason and
 * the container's exit code; past {@code kaniko_job.timeout} (also the Job's {@code activeDeadlineSeconds}) the
 * build fails as timed out;</li>
 * <li>whatever happened (success, failure, timeout, interrupt), the Job, its pods, the claim and the Secret are
 * deleted.</li>
 * </ol>
 * The pod mounts no service account token and gets no service links: kaniko needs neither.
 */
public final class KanikoJob implements AutoCloseable {

    /** Where the claim is mounted in both containers. */
    static final String WORKSPACE = "/workspace";
    /** The context's folder as kaniko sees it ({@code --context dir://...}). */
    public static final String CONTEXT = WORKSPACE + "/" + ContextTar.CONTEXT;
    /** The Dockerfile as kaniko sees it ({@code --dockerfile}). */
    public static final String DOCKERFILE = WORKSPACE + "/" + ContextTar.DOCKERFILE;
    /** The container that unpacks the context. */
    public static final String INIT_CONTAINER = "context";
    /** The container that builds. */
    public static final String CONTAINER = "kaniko";
    /** The label the Job controller gives the Job's pods. */
    public static final String JOB_NAME_LABEL = "batch.kubernetes.io/job-name";
    /** The labels of everything Berth makes for a build. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String PROJECT_LABEL = "berth.io/project";
    public static final String ENVIRONMENT_LABEL = "berth.io/environment";
    public static final String IMAGE_LABEL = "berth.io/image";
    public static final String BUILD_LABEL = "berth.io/build";
    /** How long the Job is kept after it ended should Berth not delete it (the cluster's TTL controller then does). */
    static final int KEPT_AFTER_FINISHING_SECONDS = 3600;
    /** How long the log is read on after the Job ended. */
    private static final Duration LOG_DRAIN = Duration.ofSeconds(10);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KubernetesClient client;
    private final String namespace;
    private final KanikoJobSettings settings;
    private final Clock clock;
    private final Duration poll;

    KanikoJob(KubernetesClient client, String namespace, KanikoJobSettings settings, Clock clock, Duration poll) {
        this.client = client;
        this.namespace = namespace;
        this.settings = settings;
        this.clock = clock;
        this.poll = poll;
    }

    /**
     * What to build.
     *
     * @param image the image's key in the deploy file
     * @param executorCommand the executor and its arguments, as {@code BuildCommands} makes them for kaniko, with
     *     {@link #CONTEXT} and {@link #DOCKERFILE} as the context and the Dockerfile
     * @param contextFiles each file of the context by its path in the context, to its file on disk
     * @param registryHost the registry the image is pushed to, the only one the Secret names
     */
    public record Request(String image, String project, String environment, List<String> executorCommand,
            Map<String, Path> contextFiles, Path dockerfile, String registryHost, Optional<Credentials> credentials) {

        public Request {
            executorCommand = List.copyOf(executorCommand);
            contextFiles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contextFiles));
        }

        @Override
        public String toString() {
            return "Request[" + image + ", " + project + "/" + environment + "]";
        }
    }

    /** The namespace builds run in. */
    public String namespace() {
        return namespace;
    }

    /**
     * Runs the build to its end and removes what it made.
     *
     * @param task the task whose output the kaniko log is
     * @throws TaskFailedException when the Job failed, timed out or could not be run; the message says which
     * @throws InterruptedException when the run was stopped; the Job and the rest are removed first
     */
    public void build(Request request, Log log, String task) throws TaskFailedException, InterruptedException {
        String name = name(request.image());
        Map<String, String> labels = labels(request);
        labels.put(BUILD_LABEL, name);
        removeLeftovers(request, log);
        Run run = new Run(name, request, log, task);
        try {
            Job job = call("create the Job " + name, () -> client.batch().v1().jobs().inNamespace(namespace)
                    .resource(job(name, labels, request)).create());
            OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                    .withName(name).withUid(job.getMetadata().getUid()).withBlockOwnerDeletion(false).build();
            call("create the Secret " + secretName(name), () -> client.secrets().inNamespace(namespace)
                    .resource(secret(name, labels, owner, request)).create());
            call("create the claim " + claimName(name), () -> client.persistentVolumeClaims().inNamespace(namespace)
                    .resource(claim(name, labels, owner)).create());
            call("start the Job " + name, () -> client.batch().v1().jobs().inNamespace(namespace).withName(name)
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"suspend\":false}}"));
            log.info("image " + request.image() + ": Job " + namespace + "/" + name + " started (" + settings.executor()
                    + ", context in claim " + claimName(name) + ")");
            run.await();
        } finally {
            run.stopReading();
            cleanUp(name, request.image(), log);
        }
    }

    /** One build's watching: its pod, the upload of the context, the log. */
    private final class Run {
        private final String name;
        private final Request request;
        private final Log log;
        private final String task;
        private ExecWatch upload;
        private boolean uploaded;
        private LogReader logs;
        private String lastWaiting = "";

        Run(String name, Request request, Log log, String task) {
            this.name = name;
            this.request = request;
            this.log = log;
            this.task = task;
        }

        void await() throws TaskFailedException, InterruptedException {
            Instant deadline = clock.instant().plus(settings.timeout());
            while (true) {
                Job job = call("read the Job " + name, () -> client.batch().v1().jobs().inNamespace(namespace)
                        .withName(name).get());
                if (job == null) {
                    throw new TaskFailedException("image " + request.image() + ": the Job " + name
                            + " was deleted while it built");
                }
                Optional<Pod> pod = pod();
                pod.ifPresent(this::reportWaiting);
                if (pod.isPresent()) {
                    follow(pod.get());
                }
                Optional<String> failed = failure(job.getStatus());
                if (succeeded(job.getStatus())) {
                    readLogAtTheEnd(pod);
                    return;
                }
                if (failed.isPresent()) {
                    readLogAtTheEnd(pod);
                    throw new TaskFailedException("image " + request.image() + ": the Job " + name + " failed: "
                            + failed.get() + pod.flatMap(KanikoJob::exit).map(e -> "; " + e).orElse(""),
                            pod.flatMap(KanikoJob::exitCode).orElse(1));
                }
                if (!clock.instant().isBefore(deadline)) {
                    throw new TaskFailedException("image " + request.image() + ": timed out: the Job " + name
                            + " did not finish within kaniko_job.timeout (" + Durations.format(settings.timeout())
                            + "), so it was stopped");
                }
                Thread.sleep(poll.toMillis());
            }
        }

        /** Sends the context once the init container runs, and reads the log once kaniko runs. */
        private void follow(Pod pod) throws TaskFailedException, InterruptedException {
            Optional<ContainerStatus> init = status(pod.getStatus() == null ? null
                    : pod.getStatus().getInitContainerStatuses(), INIT_CONTAINER);
            if (!uploaded && init.map(s -> s.getState() != null && s.getState().getRunning() != null).orElse(false)) {
                send(pod.getMetadata().getName());
            }
            Optional<ContainerStateTerminated> initEnd = init.map(ContainerStatus::getState)
                    .map(s -> s.getTerminated());
            if (initEnd.isPresent()) {
                closeUpload();
                if (initEnd.get().getExitCode() != null && initEnd.get().getExitCode() != 0) {
                    throw new TaskFailedException("image " + request.image() + ": the build context could not be"
                            + " unpacked into the claim: " + describe(initEnd.get()), initEnd.get().getExitCode());
                }
            }
            if (logs == null && started(pod, CONTAINER)) {
                logs = LogReader.start(client, namespace, pod.getMetadata().getName(), CONTAINER, log, task,
                        request.image());
            }
        }

        private void send(String pod) throws TaskFailedException, InterruptedException {
            uploaded = true;
            try {
                upload = call("attach to the pod " + pod, () -> client.pods().inNamespace(namespace).withName(pod)
                        .inContainer(INIT_CONTAINER).withReadyWaitTimeout(0).redirectingInput().attach());
                OutputStream in = upload.getInput();
                ContextTar.write(request.contextFiles(), request.dockerfile(), in);
                // Closed, not only flushed: the client sends its last bytes then, and the end of standard input ends
                // the container's tar whatever it reads past the archive's end.
                in.close();
                log.info("image " + request.image() + ": build context sent (" + request.contextFiles().size()
                        + " files and the Dockerfile)");
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException("interrupted while sending the build context");
                }
                throw new TaskFailedException("image " + request.image() + ": cannot send the build context to the"
                        + " pod " + pod + ": " + e.getMessage());
            }
        }

        private void closeUpload() {
            if (upload != null) {
                upload.close();
                upload = null;
            }
        }

        private void readLogAtTheEnd(Optional<Pod> pod) throws InterruptedException {
            if (logs == null && pod.isPresent() && started(pod.get(), CONTAINER)) {
                logs = LogReader.start(client, namespace, pod.get().getMetadata().getName(), CONTAINER, log, task,
                        request.image());
            }
            if (logs != null) {
                logs.awaitEnd(LOG_DRAIN);
            }
        }

        void stopReading() {
            closeUpload();
            if (logs != null) {
                logs.close();
            }
        }

        private Optional<Pod> pod() throws TaskFailedException, InterruptedException {
            List<Pod> pods = call("list the Job's pods", () -> client.pods().inNamespace(namespace)
                    .withLabel(JOB_NAME_LABEL, name).list().getItems());
            return pods.stream().findFirst();
        }

        /** Says once why the pod waits, each time the reason changes (an image pull, an unbound claim). */
        private void reportWaiting(Pod pod) {
            String waiting = waiting(pod);
            if (!waiting.equals(lastWaiting) && !waiting.isEmpty()) {
                log.info("image " + request.image() + ": pod " + pod.getMetadata().getName() + " waits: " + waiting);
            }
            lastWaiting = waiting;
        }
    }

    private static String waiting(Pod pod) {
        if (pod.getStatus() == null) {
            return "";
        }
        List<String> reasons = new ArrayList<>();
        for (PodCondition condition : Optional.ofNullable(pod.getStatus().getConditions()).orElse(List.of())) {
            if ("PodScheduled".equals(condition.getType()) && "False".equals(condition.getStatus())) {
                reasons.add("not scheduled: " + condition.getReason() + " " + Optional.ofNullable(condition
                        .getMessage()).orElse(""));
            }
        }
        List<ContainerStatus> all = new ArrayList<>();
        all.addAll(Optional.ofNullable(pod.getStatus().getInitContainerStatuses()).orElse(List.of()));
        all.addAll(Optional.ofNullable(pod.getStatus().getContainerStatuses()).orElse(List.of()));
        for (ContainerStatus status : all) {
            ContainerStateWaiting waiting = status.getState() == null ? null : status.getState().getWaiting();
            if (waiting != null && waiting.getReason() != null && !waiting.getReason().equals("PodInitializing")) {
                reasons.add(status.getName() + ": " + waiting.getReason()
                        + Optional.ofNullable(waiting.getMessage()).map(m -> " " + m).orElse(""));
            }
        }
        return String.join("; ", reasons).strip();
    }

    private static boolean succeeded(JobStatus status) {
        return status != null && (condition(status, "Complete") || (status.getSucceeded() != null
                && status.getSucceeded() > 0));
    }

    /** Why the Job failed, if it did: its {@code Failed} condition, or a failed pod. */
    private static Optional<String> failure(JobStatus status) {
        if (status == null) {
            return Optional.empty();
        }
        for (JobCondition condition : Optional.ofNullable(status.getConditions()).orElse(List.of())) {
            if ("Failed".equals(condition.getType()) && "True".equals(condition.getStatus())) {
                return Optional.of(Optional.ofNullable(condition.getReason()).orElse("Failed")
                        + Optional.ofNullable(condition.getMessage()).map(m -> " (" + m + ")").orElse(""));
            }
        }
        if (status.getFailed() != null && status.getFailed() > 0) {
            return Optional.of("its pod failed");
        }
        return Optional.empty();
    }

    private static boolean condition(JobStatus status, String type) {
        return Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static Optional<ContainerStatus> status(List<ContainerStatus> statuses, String container) {
        return Optional.ofNullable(statuses).orElse(List.of()).stream().filter(s -> container.equals(s.getName()))
                .findFirst();
    }

    private static boolean started(Pod pod, String container) {
        return pod.getStatus() != null && status(pod.getStatus().getContainerStatuses(), container)
                .map(ContainerStatus::getState)
                .map(s -> s.getRunning() != null || s.getTerminated() != null).orElse(false);
    }

    private static Optional<ContainerStateTerminated> terminated(Pod pod) {
        return pod.getStatus() == null ? Optional.empty() : status(pod.getStatus().getContainerStatuses(), CONTAINER)
                .map(ContainerStatus::getState).map(s -> s.getTerminated());
    }

    private static Optional<String> exit(Pod pod) {
        return terminated(pod).map(t -> "kaniko " + describe(t));
    }

    private static Optional<Integer> exitCode(Pod pod) {
        return terminated(pod).map(ContainerStateTerminated::getExitCode).filter(c -> c != null && c != 0);
    }

    private static String describe(ContainerStateTerminated terminated) {
        return "exited with code " + terminated.getExitCode()
                + Optional.ofNullable(terminated.getReason()).map(r -> " (" + r + ")").orElse("")
                + Optional.ofNullable(terminated.getMessage()).filter(m -> !m.isBlank()).map(m -> ": " + m.strip())
                        .orElse("");
    }

    // ---- the objects ------------------------------------------------------------------------------------------

    private Job job(String name, Map<String, String> labels, Request request) {
        List<String> command = request.executorCommand();
        PodSpec pod = new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .addNewInitContainer()
                    .withName(INIT_CONTAINER)
                    .withImage(settings.contextImage())
                    .withCommand("tar", "-x", "-f", "-", "-C", WORKSPACE)
                    .withStdin(true)
                    .withStdinOnce(true)
                    .addNewVolumeMount().withName("context").withMountPath(WORKSPACE).endVolumeMount()
                .endInitContainer()
                .addNewContainer()
                    .withName(CONTAINER)
                    .withImage(settings.executor())
                    .withCommand(command.get(0))
                    .withArgs(command.subList(1, command.size()))
                    .addNewVolumeMount().withName("context").withMountPath(WORKSPACE).endVolumeMount()
                    .addNewVolumeMount().withName("registry").withMountPath("/kaniko/.docker").withReadOnly(true)
                        .endVolumeMount()
                .endContainer()
                .addNewVolume().withName("context").withNewPersistentVolumeClaim().withClaimName(claimName(name))
                    .endPersistentVolumeClaim().endVolume()
                .addNewVolume().withName("registry").withNewSecret().withSecretName(secretName(name))
                    .addNewItem().withKey(".dockerconfigjson").withPath("config.json").endItem().endSecret()
                    .endVolume()
                .build();
        return new JobBuilder()
                .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                .withNewSpec()
                    .withSuspend(true)
                    .withBackoffLimit(0)
                    .withActiveDeadlineSeconds(Math.max(1, settings.timeout().toSeconds()))
                    .withTtlSecondsAfterFinished(KEPT_AFTER_FINISHING_SECONDS)
                    .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata().withSpec(pod).endTemplate()
                .endSpec()
                .build();
    }

    private static Secret secret(String name, Map<String, String> labels, OwnerReference owner, Request request) {
        return new SecretBuilder()
                .withNewMetadata().withName(secretName(name)).withLabels(labels).withOwnerReferences(owner).endMetadata()
                .withType("kubernetes.io/dockerconfigjson")
                .addToData(".dockerconfigjson", Base64.getEncoder().encodeToString(
                        Credentials.dockerConfig(request.registryHost(), request.credentials())))
                .build();
    }

    private PersistentVolumeClaim claim(String name, Map<String, String> labels, OwnerReference owner) {
        return new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName(claimName(name)).withLabels(labels).withOwnerReferences(owner).endMetadata()
                .withNewSpec()
                    .withAccessModes("ReadWriteOnce")
                    .withStorageClassName(settings.storageClass().orElse(null))
                    .withNewResources().addToRequests("storage", new Quantity(settings.storage())).endResources()
                .endSpec()
                .build();
    }

    static String secretName(String name) {
        return name + "-registry";
    }

    static String claimName(String name) {
        return name + "-context";
    }

    /** {@code berth-<image>-<8 hex>}: unique per build, at most 63 characters (the Job's pods carry it as a label). */
    static String name(String image) {
        String slug = image.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
        slug = slug.substring(0, Math.min(slug.length(), 40)).replaceAll("^-+|-+$", "");
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        return "berth-" + (slug.isEmpty() ? "image" : slug) + "-" + HexFormat.of().formatHex(random);
    }

    /** What marks the objects of one environment's builds of one image. */
    static Map<String, String> labels(Request request) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, "berth");
        labels.put(PROJECT_LABEL, labelValue(request.project()));
        labels.put(ENVIRONMENT_LABEL, labelValue(request.environment()));
        labels.put(IMAGE_LABEL, labelValue(request.image()));
        return labels;
    }

    /** A label value: at most 63 characters, so a longer name is cut and given a digest of the whole. */
    static String labelValue(String text) {
        return text.length() <= 63 ? text : text.substring(0, 50) + "-" + Sha256.hex(text).substring(0, 12);
    }

    // ---- clean-up ---------------------------------------------------------------------------------------------

    /**
     * Removes what an earlier run of this environment made for this image and left behind (killed before its
     * clean-up): only one run of an environment runs at a time, so nothing of it is still in use.
     */
    private void removeLeftovers(Request request, Log log) throws TaskFailedException, InterruptedException {
        Map<String, String> labels = labels(request);
        List<Job> jobs = call("list earlier Jobs", () -> client.batch().v1().jobs().inNamespace(namespace)
                .withLabels(labels).list().getItems());
        List<PersistentVolumeClaim> claims = call("list earlier claims", () -> client.persistentVolumeClaims()
                .inNamespace(namespace).withLabels(labels).list().getItems());
        List<Secret> secrets = call("list earlier Secrets", () -> client.secrets().inNamespace(namespace)
                .withLabels(labels).list().getItems());
        if (jobs.isEmpty() && claims.isEmpty() && secrets.isEmpty()) {
            return;
        }
        log.warning("image " + request.image() + ": removing what an earlier build left in " + namespace + ": "
                + jobs.size() + " Job(s), " + claims.size() + " claim(s), " + secrets.size() + " Secret(s)");
        call("remove earlier Jobs", () -> client.batch().v1().jobs().inNamespace(namespace).withLabels(labels)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        call("remove earlier pods", () -> client.pods().inNamespace(namespace).withLabels(labels).delete());
        call("remove earlier claims", () -> client.persistentVolumeClaims().inNamespace(namespace)
                .withLabels(labels).delete());
        call("remove earlier Secrets", () -> client.secrets().inNamespace(namespace).withLabels(labels).delete());
    }

    /**
     * Deletes the Job (its pods too: the garbage collector would, later, and the claim is only released once they
     * are gone), the claim and the Secret, each even when another fails, also on an interrupted thread: the
     * interrupt is put back afterwards.
     */
    private void cleanUp(String name, String image, Log log) {
        boolean interrupted = Thread.interrupted();
        List<String> failed = new ArrayList<>();
        delete(failed, "Job " + name, () -> client.batch().v1().jobs().inNamespace(namespace).withName(name)
                .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
        delete(failed, "the Job's pods", () -> client.pods().inNamespace(namespace).withLabel(JOB_NAME_LABEL, name)
                .delete());
        delete(failed, "claim " + claimName(name), () -> client.persistentVolumeClaims().inNamespace(namespace)
                .withName(claimName(name)).delete());
        delete(failed, "Secret " + secretName(name), () -> client.secrets().inNamespace(namespace)
                .withName(secretName(name)).delete());
        if (failed.isEmpty()) {
            log.info("image " + image + ": Job " + name + ", its claim and its Secret removed");
        } else {
            log.warning("image " + image + ": could not remove " + String.join(", ", failed) + "; the cluster"
                    + " removes them with the Job at the latest " + KEPT_AFTER_FINISHING_SECONDS / 60 + " minutes after"
                    + " it ended, or: kubectl delete job,pvc,secret -n " + namespace + " -l " + BUILD_LABEL + "="
                    + name);
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void delete(List<String> failed, String what, Runnable action) {
        try {
            action.run();
        } catch (KubernetesClientException e) {
            failed.add(what + " (" + message(e) + ")");
        }
    }

    /**
     * A call to the cluster. The client turns an interrupt into its own exception, with the thread's flag set:
     * that becomes an {@link InterruptedException} again; any other refusal fails the build, saying what was tried.
     */
    private static <T> T call(String what, Supplier<T> action) throws TaskFailedException, InterruptedException {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                Thread.interrupted();
                throw new InterruptedException("interrupted while trying to " + what);
            }
            throw new TaskFailedException("builder kaniko-job: cannot " + what + ": " + message(e));
        }
    }

    static String message(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage() + " (HTTP " + e.getCode() + ")";
        }
        return String.valueOf(e.getMessage());
    }

    @Override
    public void close() {
        client.close();
    }
}
