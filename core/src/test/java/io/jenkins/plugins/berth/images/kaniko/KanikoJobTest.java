package io.jenkins.plugins.berth.images.kaniko;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.model.KanikoJobSettings;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.run.SecretMasker;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code builder: kaniko-job} against a real kube-apiserver and etcd ({@link TestCluster}). No kubelet and no
 * controllers run here, so {@link TestNode} plays the Job controller and the node (it makes the pod and writes the
 * pod's and the Job's statuses through the API), and {@link TestKubelet} is the kubelet's HTTPS endpoint the API
 * server proxies to: the build context really travels over the attach WebSocket through the API server, and the
 * log really comes back through it, but no container runs, so kaniko's log lines are the test's.
 */
class KanikoJobTest {

    static final String NAMESPACE = "builds";
    /** A registry password full of characters shells and regular expressions care about. */
    static final String PASSWORD = "p@ss'w\"rd$(x)*[a]";

    @TempDir
    static Path folder;
    static TestCluster cluster;
    static TestKubelet kubelet;
    static KubernetesClient client;

    @TempDir
    Path repo;
    TestNode node;
    final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = TestCluster.start(folder);
        kubelet = new TestKubelet(cluster.keystore, TestCluster.KEYSTORE_PASSWORD);
        client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
                .build()).create();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (client != null) {
            client.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void stopNode() throws Exception {
        if (node != null) {
            node.close();
            assertThat(node.failure).as("the test node's own calls").isNull();
        }
    }

    @Test
    void aBuildRunsAsAJobGetsItsContextAndLogAndLeavesNothing() throws Exception {
        node = new TestNode(client, NAMESPACE, kubelet, job -> TestNode.Outcome.SUCCEED,
                job -> List.of("INFO[0000] Retrieving image manifest scratch", "pushing with " + PASSWORD,
                        "INFO[0001] Pushed 127.0.0.1:5000/shop/web@sha256:0123"));
        KanikoJob.Request request = request();

        try (KanikoJob job = jobs(KanikoJobSettings.DEFAULT).open(KanikoJobSettings.DEFAULT, repo)) {
            job.build(request, masked(), "web");
        }

        assertThat(node.finished()).hasSize(1);
        String name = node.finished().iterator().next();
        Job seen = node.seen.get(name);
        assertThat(seen.getSpec().getBackoffLimit()).isZero();
        assertThat(seen.getSpec().getActiveDeadlineSeconds()).isEqualTo(1800L);
        var pod = seen.getSpec().getTemplate().getSpec();
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        Container init = pod.getInitContainers().get(0);
        assertThat(init.getImage()).isEqualTo(KanikoJobSettings.DEFAULT_CONTEXT_IMAGE);
        assertThat(init.getCommand()).containsExactly("tar", "-x", "-f", "-", "-C", "/workspace");
        assertThat(init.getStdin()).isTrue();
        Container kaniko = pod.getContainers().get(0);
        assertThat(kaniko.getImage()).isEqualTo(KanikoJobSettings.DEFAULT_EXECUTOR);
        assertThat(kaniko.getCommand()).containsExactly("/kaniko/executor");
        assertThat(kaniko.getArgs()).containsExactlyElementsOf(request.executorCommand().subList(1,
                request.executorCommand().size()));
        assertThat(kaniko.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/kaniko/.docker"));
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getPersistentVolumeClaim().getClaimName())
                .isEqualTo(name + "-context"));

        // The context arrived through the API server's attach, exactly the files given, modes kept.
        Map<String, byte[]> received = kubelet.received.get(node.pods.get(name));
        assertThat(received).containsOnlyKeys("context/app.txt", "context/bin/run.sh", "Dockerfile");
        assertThat(new String(received.get("context/app.txt"), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(new String(received.get("Dockerfile"), StandardCharsets.UTF_8)).startsWith("FROM scratch");
        assertThat(kubelet.modes.get(node.pods.get(name)).get("context/bin/run.sh") & 0777).isEqualTo(0755);
        assertThat(kubelet.modes.get(node.pods.get(name)).get("context/app.txt") & 0777).isEqualTo(0644);

        // The Secret named only the image's registry, with Berth's credentials for it.
        String auth = java.util.Base64.getEncoder().encodeToString(("berth:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(node.dockerConfigs.get(name)).isEqualTo("{\"auths\":{\"127.0.0.1:5000\":{\"auth\":\"" + auth + "\"}}}");

        // The log came back through the API server, masked like every output line.
        assertThat(lines).contains("[web] INFO[0000] Retrieving image manifest scratch", "[web] pushing with ****",
                "[web] INFO[0001] Pushed 127.0.0.1:5000/shop/web@sha256:0123");
        assertThat(String.join("\n", lines)).doesNotContain(PASSWORD);
        assertNothingLeft();
    }

    @Test
    void aFailedJobFailsTheBuildWithTheJobsReasonAndLeavesNothing() throws Exception {
        node = new TestNode(client, NAMESPACE, kubelet, job -> TestNode.Outcome.FAIL,
                job -> List.of("error building image: COPY failed"));

        assertThatThrownBy(() -> build(KanikoJobSettings.DEFAULT))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> assertThat(e.exitCode()).contains(1))
                .hasMessageContaining("failed: BackoffLimitExceeded")
                .hasMessageContaining("kaniko exited with code 1 (Error)");
        assertThat(lines).contains("[web] error building image: COPY failed");
        assertNothingLeft();
    }

    @Test
    void aJobPastItsTimeoutIsStoppedAndRemoved() throws Exception {
        node = new TestNode(client, NAMESPACE, kubelet, job -> TestNode.Outcome.RUN_FOREVER, job -> List.of());
        KanikoJobSettings settings = settings(Duration.ofSeconds(3));

        assertThatThrownBy(() -> build(settings)).isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("timed out").hasMessageContaining("kaniko_job.timeout (3s)");
        assertThat(node.seen.values()).singleElement().satisfies(job ->
                assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3L));
        assertNothingLeft();
    }

    @Test
    void anInterruptedBuildRemovesTheJobClaimAndSecret() throws Exception {
        node = new TestNode(client, NAMESPACE, kubelet, job -> TestNode.Outcome.RUN_FOREVER, job -> List.of());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread run = new Thread(() -> {
            try {
                build(KanikoJobSettings.DEFAULT);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        run.start();
        // Stopped while kaniko runs: its context is in, its Job, claim and Secret exist.
        long waited = 0;
        while (!lines.stream().anyMatch(l -> l.contains("build context sent")) && waited < 60_000) {
            Thread.sleep(50);
            waited += 50;
        }
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
        Thread.sleep(300);
        run.interrupt();
        run.join(60_000);

        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertNothingLeft();
    }

    @Test
    void whatAKilledRunLeftIsRemovedByTheNextBuildOfTheSameImageAndEnvironment() throws Exception {
        Map<String, String> labels = KanikoJob.labels(request());
        client.batch().v1().jobs().inNamespace(NAMESPACE).resource(new JobBuilder().withNewMetadata()
                .withName("berth-web-0badf00d").withLabels(labels).endMetadata().withNewSpec().withSuspend(true)
                .withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("kaniko")
                .withImage("x").endContainer().endSpec().endTemplate().endSpec().build()).create();
        client.persistentVolumeClaims().inNamespace(NAMESPACE).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("berth-web-0badf00d-context").withLabels(labels).endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().build()).create();
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName("berth-web-0badf00d-registry").withLabels(labels).endMetadata().build()).create();
        // Another environment's build of the same image is not touched.
        Map<String, String> other = new java.util.LinkedHashMap<>(labels);
        other.put(KanikoJob.ENVIRONMENT_LABEL, "shop-other");
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata()
                .withName("berth-web-other-registry").withLabels(other).endMetadata().build()).create();
        node = new TestNode(client, NAMESPACE, kubelet,
                job -> job.getMetadata().getName().equals("berth-web-0badf00d") ? TestNode.Outcome.NEVER_START
                        : TestNode.Outcome.SUCCEED, job -> List.of("built"));

        build(KanikoJobSettings.DEFAULT);

        assertThat(lines).anyMatch(l -> l.startsWith("WARNING: image web: removing what an earlier build left in"
                + " builds: 1 Job(s), 1 claim(s), 1 Secret(s)"));
        assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).singleElement()
                .satisfies(s -> assertThat(s.getMetadata().getName()).isEqualTo("berth-web-other-registry"));
        client.secrets().inNamespace(NAMESPACE).withName("berth-web-other-registry").delete();
        assertNothingLeft();
    }

    @Test
    void aLogTheKubeletCannotGiveIsReportedAndTheJobsResultStillCounts() throws Exception {
        node = new TestNode(client, NAMESPACE, kubelet, job -> {
            kubelet.unreadable.add(job.getMetadata().getName() + "-x7k2q");
            return TestNode.Outcome.SUCCEED;
        }, job -> List.of("never shown"));

        build(KanikoJobSettings.DEFAULT);

        assertThat(lines).anyMatch(l -> l.startsWith("WARNING: image web: the log of ") && l.contains("cannot be read")
                && l.endsWith("the build goes on without it"));
        assertThat(lines).noneMatch(l -> l.contains("never shown"));
        assertNothingLeft();
    }

    @Test
    void withoutAKubeconfigTheBuildSaysWhereItLooked() {
        KanikoJobs jobs = new KanikoJobs(Map.of(), repo, host -> Optional.empty());
        assertThatThrownBy(() -> jobs.open(KanikoJobSettings.DEFAULT, repo)).isInstanceOf(BerthException.class)
                .hasMessage("builder kaniko-job: no kubeconfig at " + repo.resolve(".kube/config") + "; name one in"
                        + " kaniko_job.kubeconfig or KUBECONFIG (Jenkins: the folder's kubeconfig credentials)");
        KanikoJobSettings named = new KanikoJobSettings(Optional.empty(), Optional.of("~/ci/kube.yaml"),
                KanikoJobSettings.DEFAULT_EXECUTOR, KanikoJobSettings.DEFAULT_CONTEXT_IMAGE, "1Gi", Optional.empty(),
                Duration.ofMinutes(1));
        assertThat(jobs.kubeconfig(named)).isEqualTo(repo.resolve("ci/kube.yaml"));
        assertThat(new KanikoJobs(Map.of("KUBECONFIG", "/a/one:/a/two"), repo, host -> Optional.empty())
                .kubeconfig(KanikoJobSettings.DEFAULT)).isEqualTo(Path.of("/a/one"));
    }

    @Test
    void aKubeconfigInTheRepositoryIsRefused() throws Exception {
        // The code being built could have written it: its cluster would get the Job and the registry login.
        Path built = Files.createDirectories(folder.resolve("built"));
        Path planted = Files.writeString(built.resolve("kubeconfig"), Files.readString(cluster.kubeconfig));
        KanikoJobs jobs = new KanikoJobs(Map.of("KUBECONFIG", planted.toString()), repo, host -> Optional.empty());
        assertThatThrownBy(() -> jobs.open(KanikoJobSettings.DEFAULT, built)).isInstanceOf(BerthException.class)
                .hasMessage("builder kaniko-job: the kubeconfig " + planted + " is in the repository, which the code it"
                        + " builds can change; keep it outside (Jenkins: the folder's kubeconfig credentials)");
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private void build(KanikoJobSettings settings) throws Exception {
        try (KanikoJob job = jobs(settings).open(settings, repo)) {
            assertThat(job.namespace()).isEqualTo(NAMESPACE);
            job.build(request(), masked(), "web");
        }
    }

    private KanikoJobs jobs(KanikoJobSettings settings) {
        return new KanikoJobs(Map.of("KUBECONFIG", cluster.kubeconfig.toString()), repo,
                host -> Optional.of(new Credentials("berth", PASSWORD)), Duration.ofMillis(100));
    }

    private Log masked() {
        return Log.masked(LogLines.into(lines), SecretMasker.of(List.of(PASSWORD)));
    }

    private static KanikoJobSettings settings(Duration timeout) {
        return new KanikoJobSettings(Optional.empty(), Optional.empty(), KanikoJobSettings.DEFAULT_EXECUTOR,
                KanikoJobSettings.DEFAULT_CONTEXT_IMAGE, "1Gi", Optional.empty(), timeout);
    }

    private KanikoJob.Request request() throws Exception {
        Files.createDirectories(repo.resolve("web/bin"));
        Files.writeString(repo.resolve("web/app.txt"), "hello\n");
        Path script = Files.writeString(repo.resolve("web/bin/run.sh"), "#!/bin/sh\necho hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(repo.resolve("web/app.txt"), PosixFilePermissions.fromString("rw-r--r--"));
        Path dockerfile = Files.writeString(repo.resolve("Dockerfile.web"), "FROM scratch\nCOPY app.txt /\n");
        return new KanikoJob.Request("web", "shop", "shop-feature-x",
                List.of("/kaniko/executor", "--context", "dir://" + KanikoJob.CONTEXT, "--dockerfile",
                        KanikoJob.DOCKERFILE, "--destination", "127.0.0.1:5000/shop/web:content-0123", "--insecure"),
                new java.util.TreeMap<>(Map.of("app.txt", repo.resolve("web/app.txt"), "bin/run.sh", script)),
                dockerfile, "127.0.0.1:5000", Optional.of(new Credentials("berth", PASSWORD)));
    }

    private static void assertNothingLeft() throws InterruptedException {
        // The pods go once the test node, as a kubelet would, confirms that their containers stopped.
        for (int i = 0; i < 200 && !client.pods().inNamespace(NAMESPACE).list().getItems().isEmpty(); i++) {
            Thread.sleep(50);
        }
        assertThat(client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems()).as("Jobs").isEmpty();
        assertThat(client.pods().inNamespace(NAMESPACE).list().getItems()).as("pods").isEmpty();
        assertThat(client.persistentVolumeClaims().inNamespace(NAMESPACE).list().getItems()).as("claims").isEmpty();
        assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).as("Secrets").isEmpty();
    }
}
