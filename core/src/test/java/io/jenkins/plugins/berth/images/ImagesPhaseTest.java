package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.LogLines;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.Log;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.deploy.UpRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The images phase with a real builder (buildah, chroot isolation and vfs storage: it needs no daemon
 * and works as root here) and a real registry. Images are FROM scratch: nothing can be pulled here.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ImagesPhaseTest {
    private static final Map<String, String> BUILDAH = Map.of("STORAGE_DRIVER", "vfs", "BUILDAH_ISOLATION", "chroot");

    @TempDir
    Path folder;

    private Path repo;
    private TestRegistry registry;
    private RegistryClient client;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assertThat(Path.of("/usr/bin/buildah")).as("buildah is missing: run scripts/install-tools").isExecutable();
        Files.createDirectories(folder.resolve("registry"));
        registry = TestRegistry.start(folder.resolve("registry"), false);
        client = registry.client(Optional.empty());
        repo = folder.resolve("repo");
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\nARG GREETING\nCOPY hello.txt /hello.txt\n"
                + "LABEL greeting=\"$GREETING\"\n");
        Files.writeString(repo.resolve("web/hello.txt"), "hello\n");
        Files.writeString(repo.resolve("web/notes.md"), "not part of the image\n");
        Files.writeString(repo.resolve("web/.dockerignore"), "# docs stay out\n*.md\n");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                registry: %s/shop
                builder: buildah
                images:
                  web: { context: web, args: { GREETING: "hi ${BERTH_BRANCH}" }, tags: [stable] }
                stages:
                  - { name: use, run: 'echo "$BERTH_IMAGE_WEB" > image.txt' }
                """.formatted(registry.host()));
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    private RunResult up(String commit) throws Exception {
        return up("main", commit);
    }

    private RunResult up(String branch, String commit) throws Exception {
        Log recording = LogLines.into(log);
        Path states = repo.resolve(".berth/state");
        return Engine.builder()
                .phase(new ImagesPhase(repo, host -> client, BUILDAH, Clock.systemUTC()))
                .build(new LocalCommandRunner(repo), new DirectoryStateStore(states), recording)
                .up(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"), RepositoryFiles.of(repo),
                        new UpRequest(branch, Optional.of(commit), "repo", SecretSource.none(), 4));
    }

    private String digest(String tag) throws Exception {
        return client.headManifest("shop/web", tag).orElseThrow().digest();
    }

    @Test
    void buildsOncePerContentTagsEveryCommitAndGivesStagesADigestPinnedReference() throws Exception {
        RunResult first = up("c1c1c1");
        assertThat(first.succeeded()).as(String.join("\n", log)).isTrue();
        String digest = digest("c1c1c1");
        assertThat(List.of(digest("latest"), digest("stable"))).containsOnly(digest);
        assertThat(Files.readString(repo.resolve("image.txt")).strip())
                .isEqualTo(registry.host() + "/shop/web@" + digest);
        assertThat(new DirectoryStateStore(repo.resolve(".berth/state")).read("shop-main").orElseThrow().images())
                .containsEntry("web", registry.host() + "/shop/web@" + digest);
        String config = config(digest);
        assertThat(config).contains("\"org.opencontainers.image.revision\":\"c1c1c1\"")
                .contains("\"org.opencontainers.image.source\":\"shop\"").contains("\"greeting\":\"hi main\"")
                .contains("org.opencontainers.image.created");

        log.clear();
        Files.writeString(repo.resolve("web/notes.md"), "edited, but .dockerignore leaves it out\n");
        assertThat(up("c2c2c2").succeeded()).isTrue();
        assertThat(log).anyMatch(l -> l.endsWith("(same Dockerfile, args and files), build skipped"));
        assertThat(log).noneMatch(l -> l.startsWith("[web] STEP "));
        assertThat(digest("c2c2c2")).isEqualTo(digest);

        log.clear();
        Files.writeString(repo.resolve("web/hello.txt"), "hello again\n");
        assertThat(up("c3c3c3").succeeded()).isTrue();
        assertThat(log).noneMatch(l -> l.endsWith("build skipped")).anyMatch(l -> l.startsWith("[web] STEP 1/7: FROM scratch"));
        assertThat(digest("c3c3c3")).isNotEqualTo(digest).isEqualTo(digest("latest"));
        assertThat(digest("c1c1c1")).isEqualTo(digest);
    }

    @Test
    void onlyTheReleaseBranchMovesLatestSoAFeatureBranchNeverChangesWhatStagingGets() throws Exception {
        assertThat(up("main", "c1c1c1").succeeded()).as(String.join("\n", log)).isTrue();
        String mainDigest = digest("c1c1c1");
        assertThat(List.of(digest("latest"), digest("stable"), digest("shop-main"))).containsOnly(mainDigest);

        // The feature branch builds other content (its GREETING differs): its commit and environment tags only.
        log.clear();
        assertThat(up("feature/x", "c2c2c2").succeeded()).as(String.join("\n", log)).isTrue();
        String featureDigest = digest("c2c2c2");
        assertThat(featureDigest).isNotEqualTo(mainDigest).isEqualTo(digest("shop-feature-x"));
        assertThat(List.of(digest("latest"), digest("stable"))).containsOnly(mainDigest);
        assertThat(log).contains("INFO: image web: " + registry.host() + "/shop/web@" + featureDigest
                + " tagged c2c2c2, shop-feature-x");

        ReleasePromotion promotion = new ReleasePromotion(r -> new RegistryRetagger(client));
        // What `berth promote --to staging` reads: the same file with its release stage.
        List<ReleasePromotion.Promoted> promoted = promotion.promote(io.jenkins.plugins.berth.TestFiles.valid(
                Files.readString(repo.resolve("berth.yml")) + "release:\n  - stage: staging\n"), "staging");
        assertThat(promoted).extracting(ReleasePromotion.Promoted::digest).containsExactly(mainDigest);
        assertThat(digest("staging")).isEqualTo(mainDigest);
    }

    @Test
    void teardownDeletesTheImagesOnlyTheEnvironmentUsedAndKeepsTaggedOnes() throws Exception {
        assertThat(up("main", "c1c1c1").succeeded()).isTrue();
        String mainDigest = digest("c1c1c1");
        assertThat(up("feature/x", "c2c2c2").succeeded()).isTrue();
        String featureDigest = digest("c2c2c2");
        assertThat(featureDigest).isNotEqualTo(mainDigest);

        Path states = repo.resolve(".berth/state");
        io.jenkins.plugins.berth.environments.DirectoryStateStore state =
                new io.jenkins.plugins.berth.environments.DirectoryStateStore(states);
        io.jenkins.plugins.berth.teardown.Teardown teardown = new io.jenkins.plugins.berth.teardown.Teardown(
                new io.jenkins.plugins.berth.terraform.Destroyer(states, state, new LocalCommandRunner(repo),
                        recordingLog(), List.of(), Clock.systemUTC()),
                state, state::keptFolder, LocalCommandRunner::new, Optional.of(new ImageCleanup(host -> client, state)),
                io.jenkins.plugins.berth.teardown.Retries.DEFAULT, recordingLog(), Clock.systemUTC());
        log.clear();
        // Its commit, environment and content tags are the feature environment's own: the image goes.
        teardown.down("shop-feature-x", SecretSource.none());
        assertThat(client.headManifest("shop/web", "c2c2c2")).isEmpty();
        assertThat(client.headManifest("shop/web", "shop-feature-x")).isEmpty();
        assertThat(log).anyMatch(l -> l.startsWith("INFO: image web: deleted " + registry.host() + "/shop/web@"
                + featureDigest));
        teardown.down("shop-main", SecretSource.none());
        assertThat(log).contains("INFO: image web: kept, also tagged latest, stable");
        assertThat(digest("c1c1c1")).isEqualTo(mainDigest);
    }

    private Log recordingLog() {
        return LogLines.into(log);
    }

    /** The image's config blob, read from the registry. */
    private String config(String digest) throws Exception {
        Manifest manifest = client.getManifest("shop/web", digest);
        String configDigest = manifest.blobs().get(0);
        return HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(HttpRequest.newBuilder(
                URI.create("http://" + registry.host() + "/v2/shop/web/blobs/" + configDigest)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
