package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.images.kaniko.KanikoJobs;
import io.jenkins.plugins.berth.images.kaniko.TestCluster;
import io.jenkins.plugins.berth.images.kaniko.TestKubelet;
import io.jenkins.plugins.berth.images.kaniko.TestNode;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.SecretSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up} with {@code builder: kaniko-job}: the images phase builds through a Job in a real kube-apiserver
 * ({@link TestCluster}) and tags what lands in a real registry (Debian's docker-registry, with Basic authentication).
 * kaniko cannot run here, so the test node plays it too: when the Job runs, it pushes an image to the
 * {@code --destination} the Job's container was given, with the credentials of the Job's Secret, then reports the
 * Job done; the phase then tags that image as every builder's.
 */
class KanikoJobPhaseTest {

    @TempDir
    Path folder;
    private TestCluster cluster;
    private TestKubelet kubelet;
    private KubernetesClient kube;
    private TestRegistry registry;
    private RegistryClient client;
    private TestNode node;
    private Path repo;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Files.createDirectories(folder.resolve("cluster"));
        Files.createDirectories(folder.resolve("registry"));
        cluster = TestCluster.start(folder.resolve("cluster"));
        kubelet = new TestKubelet(cluster.keystore, TestCluster.KEYSTORE_PASSWORD);
        kube = cluster.client();
        kube.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("builds").endMetadata().build())
                .create();
        registry = TestRegistry.start(folder.resolve("registry"), true);
        client = registry.client(Optional.of(TestRegistry.USER));
        node = new TestNode(kube, "builds", kubelet, job -> TestNode.Outcome.SUCCEED, job -> List.of("kaniko done"),
                this::pushAsKaniko);
        repo = folder.resolve("repo");
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\nARG GREETING\nCOPY hello.txt /hello.txt\n");
        Files.writeString(repo.resolve("web/hello.txt"), "hello\n");
        Files.writeString(repo.resolve("web/notes.md"), "not part of the image\n");
        Files.writeString(repo.resolve("web/.dockerignore"), "*.md\n");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                registry: %s/shop
                builder: kaniko-job
                kaniko_job: { namespace: builds, timeout: 5m }
                images:
                  web: { context: web, args: { GREETING: "hi ${BERTH_BRANCH}" } }
                stages:
                  - { name: use, run: 'echo "$BERTH_IMAGE_WEB" > image.txt' }
                """.formatted(registry.host()));
    }

    /** What kaniko would do: push to the destination it was given, as the Secret's credentials allow. */
    private void pushAsKaniko(Job job) {
        List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        String destination = args.get(args.indexOf("--destination") + 1);
        String repositoryAndTag = destination.substring(destination.indexOf('/') + 1);
        String repository = repositoryAndTag.substring(0, repositoryAndTag.lastIndexOf(':'));
        String tag = repositoryAndTag.substring(repositoryAndTag.lastIndexOf(':') + 1);
        try {
            TestRegistry.pushImage(client, folder, repository, tag, 1024, ManifestMediaTypes.OCI_MANIFEST, 7);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
        if (kube != null) {
            kube.close();
        }
        if (kubelet != null) {
            kubelet.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private RunResult up(String commit) throws Exception {
        KanikoJobs jobs = new KanikoJobs(Map.of("KUBECONFIG", cluster.kubeconfig.toString()), folder,
                host -> host.equals(registry.host()) ? Optional.of(TestRegistry.USER) : Optional.empty(),
                Duration.ofMillis(100));
        return Engine.builder()
                .phase(new ImagesPhase(repo, PushTargets.addresses(host -> client), Map.of(), Clock.systemUTC(),
                        ImagesPhase.Options.DEFAULT, Optional.of(jobs)))
                .build(new LocalCommandRunner(repo), new DirectoryStateStore(repo.resolve(".berth/state")),
                        LogLines.into(log))
                .up(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"), RepositoryFiles.of(repo),
                        new UpRequest("main", Optional.of(commit), "repo", SecretSource.none(), 4));
    }

    @Test
    void upBuildsThroughAJobAndTagsWhatItPushedAndBuildsNothingTheSecondTime() throws Exception {
        RunResult first = up("c1c1c1");

        assertThat(first.succeeded()).as(String.join("\n", log) + "\n" + node.failure).isTrue();
        assertThat(node.finished()).hasSize(1);
        Job job = node.seen.get(node.finished().iterator().next());
        List<String> args = job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
        String contentTag = args.get(args.indexOf("--destination") + 1).replaceFirst(".*:", "");
        assertThat(contentTag).startsWith("content-");
        assertThat(args).containsSequence("--context", "dir:///workspace/context", "--dockerfile",
                "/workspace/Dockerfile").containsSequence("--build-arg", "GREETING=hi main")
                .containsSequence("--label", "org.opencontainers.image.revision=c1c1c1").contains("--insecure");
        // The context is what the content tag covers: .dockerignore leaves notes.md out.
        assertThat(kubelet.received.get(node.pods.get(job.getMetadata().getName())))
                .containsOnlyKeys("context/hello.txt", "context/.dockerignore", "context/Dockerfile", "Dockerfile");
        String digest = client.headManifest("shop/web", contentTag).orElseThrow().digest();
        assertThat(client.headManifest("shop/web", "c1c1c1").orElseThrow().digest()).isEqualTo(digest);
        assertThat(client.headManifest("shop/web", "latest").orElseThrow().digest()).isEqualTo(digest);
        assertThat(Files.readString(repo.resolve("image.txt")).strip())
                .isEqualTo(registry.host() + "/shop/web@" + digest);
        assertThat(log).contains("[web] kaniko done");
        assertThat(kube.batch().v1().jobs().inNamespace("builds").list().getItems()).isEmpty();

        log.clear();
        Files.writeString(repo.resolve("web/notes.md"), "edited, but .dockerignore leaves it out\n");
        assertThat(up("c2c2c2").succeeded()).isTrue();
        assertThat(log).anyMatch(l -> l.endsWith("(same Dockerfile, args, base images and files), build skipped"));
        assertThat(node.seen).hasSize(1);
    }
}
