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
        // What `berth promote --to staging` reads: the same file with its release stage, and main's record.
        io.jenkins.plugins.berth.model.DeployFile released = io.jenkins.plugins.berth.TestFiles.valid(
                Files.readString(repo.resolve("berth.yml")) + "release:\n  - stage: staging\n");
        ReleaseBuild build = ReleaseBuild.of(released, new DirectoryStateStore(repo.resolve(".berth/state")), "shop",
                Optional.empty());
        assertThat(build.environment()).isEqualTo("shop-main");
        List<ReleasePromotion.Promoted> promoted = promotion.promote(released, "staging", Optional.of(build));
        assertThat(promoted).extracting(ReleasePromotion.Promoted::digest).containsExactly(mainDigest);
        assertThat(digest("staging")).isEqualTo(mainDigest);
    }

    @Test
    void anImageWithoutAContextTakesNeitherBerthsStateNorGitSoASecondUpDoesNotRebuild() throws Exception {
        // The deploy file's folder as the context: it holds the state folder (.berth/state) and a git repository.
        Files.writeString(repo.resolve("Dockerfile"), "FROM scratch\nCOPY . /app/\n");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                registry: %s/shop
                builder: buildah
                images:
                  site: {}
                """.formatted(registry.host()));
        git("init", "-q");
        git("add", "-A");
        git("commit", "-q", "-m", "first");
        assertThat(up("main", "c1c1c1").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(repo.resolve(".berth/state/shop-main.json")).exists();
        String digest = client.headManifest("shop/site", "c1c1c1").orElseThrow().digest();
        String contentTag = contentTag(digest);
        // What the image holds: the repository's files, none of .berth or .git.
        List<String> entries = layerEntries(digest);
        assertThat(entries).contains("app/web/hello.txt", "app/berth.yml")
                .noneMatch(e -> e.startsWith("app/.berth") || e.startsWith("app/.git"));

        // Berth wrote its record, git a new commit: neither changes the content tag.
        git("commit", "-q", "--allow-empty", "-m", "second");
        log.clear();
        assertThat(up("main", "c2c2c2").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).anyMatch(l -> l.endsWith("(same Dockerfile, args and files), build skipped"));
        assertThat(log).noneMatch(l -> l.startsWith("[site] STEP "));
        assertThat(client.headManifest("shop/site", "c2c2c2").orElseThrow().digest()).isEqualTo(digest);
        assertThat(contentTag(digest)).isEqualTo(contentTag);
    }

    @Test
    void anEnvironmentNamedLikeATagOnlyTheReleaseBranchMovesStopsBeforeAnyBuild() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), Files.readString(repo.resolve("berth.yml"))
                + "environment: { name: \"${BRANCH_SLUG}\" }\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> up("stable", "c1c1c1"))
                .isInstanceOf(io.jenkins.plugins.berth.BerthException.class)
                .hasMessageStartingWith("environment 'stable' cannot tag its images: 'stable' is a tag only a release"
                        + " branch moves");
        assertThat(client.headManifest("shop/web", "c1c1c1")).isEmpty();
        assertThat(client.headManifest("shop/web", "stable")).isEmpty();
    }

    @Test
    void theTargetStageAndThePlatformReachBuildah() throws Exception {
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch AS base\nCOPY hello.txt /base.txt\n"
                + "FROM scratch AS runtime\nCOPY hello.txt /runtime.txt\n");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                registry: %s/shop
                builder: buildah
                images:
                  web: { context: web, target: base, platforms: [linux/arm64] }
                """.formatted(registry.host()));
        assertThat(up("main", "c1c1c1").succeeded()).as(String.join("\n", log)).isTrue();
        String digest = digest("c1c1c1");
        // No RUN, so nothing needs an arm64 machine: the image is built for it all the same.
        assertThat(config(digest)).contains("\"architecture\":\"arm64\"");
        Manifest manifest = client.getManifest("shop/web", digest);
        assertThat(layerEntries("shop/web", manifest.blobs().get(manifest.blobs().size() - 1)))
                .contains("base.txt").doesNotContain("runtime.txt");
    }

    private void git(String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@t"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).directory(repo.toFile()).inheritIO().start();
        assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
    }

    /** The content tag that names {@code digest} in shop/site. */
    private String contentTag(String digest) throws Exception {
        List<String> tags = client.listTags("shop/site").stream().filter(t -> t.startsWith(ContentTag.PREFIX))
                .filter(t -> digest(t, "shop/site").equals(digest)).toList();
        assertThat(tags).hasSize(1);
        return tags.get(0);
    }

    private String digest(String tag, String repository) {
        try {
            return client.headManifest(repository, tag).orElseThrow().digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The paths in the image's single layer, read from the registry. */
    private List<String> layerEntries(String digest) throws Exception {
        Manifest manifest = client.getManifest("shop/site", digest);
        return layerEntries("shop/site", manifest.blobs().get(manifest.blobs().size() - 1));
    }

    /** The paths in layer blob {@code layer} of {@code repository}. */
    private List<String> layerEntries(String repository, String layer) throws Exception {
        byte[] blob = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(
                HttpRequest.newBuilder(URI.create("http://" + registry.host() + "/v2/" + repository + "/blobs/" + layer))
                        .build(), HttpResponse.BodyHandlers.ofByteArray()).body();
        Path tar = folder.resolve("layer.tar.gz");
        Files.write(tar, blob);
        Process list = new ProcessBuilder("tar", "-tzf", tar.toString()).redirectErrorStream(true).start();
        String out = new String(list.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(list.waitFor()).as(out).isZero();
        return out.lines().map(l -> l.replaceFirst("^\\./", "").replaceFirst("/$", "")).toList();
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
