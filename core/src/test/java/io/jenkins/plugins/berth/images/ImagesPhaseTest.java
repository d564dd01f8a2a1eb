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
    /** buildah's settings, and the test registry as one buildah may pull from over plain HTTP. */
    private Map<String, String> builder;

    @BeforeEach
    void start() throws Exception {
        assertThat(Path.of("/usr/bin/buildah")).as("buildah is missing: run scripts/install-tools").isExecutable();
        Files.createDirectories(folder.resolve("registry"));
        registry = TestRegistry.start(folder.resolve("registry"), false);
        client = registry.client(Optional.empty());
        Path registries = Files.writeString(folder.resolve("registries.conf"), "[[registry]]\nlocation = \""
                + registry.host() + "\"\ninsecure = true\n");
        builder = new java.util.HashMap<>(BUILDAH);
        builder.put("CONTAINERS_REGISTRIES_CONF", registries.toString());
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
        // The images this test's buildah pulled or built, named after its registry's port: no other test has them.
        ProcessBuilder listing = new ProcessBuilder("buildah", "images", "--format", "{{.Name}} {{.ID}}");
        listing.environment().putAll(BUILDAH);
        Process images = listing.start();
        String out = new String(images.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        images.waitFor();
        for (String line : out.lines().filter(l -> l.startsWith(registry.host() + "/")
                || l.startsWith("localhost/berth-test-" + registry.port + "-")).toList()) {
            buildah(false, "rmi", "-f", line.split(" ")[1]);
        }
    }

    private RunResult up(String commit) throws Exception {
        return up("main", commit);
    }

    private RunResult up(String branch, String commit) throws Exception {
        return up(branch, commit, ImagesPhase.Options.DEFAULT, builder);
    }

    private RunResult up(String branch, String commit, ImagesPhase.Options options, Map<String, String> environment)
            throws Exception {
        Log recording = LogLines.into(log);
        Path states = repo.resolve(".berth/state");
        return Engine.builder()
                .phase(new ImagesPhase(repo, host -> client, environment, Clock.systemUTC(), options))
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
        assertThat(log).anyMatch(l -> l.endsWith("(same Dockerfile, args, base images and files), build skipped"));
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
        String first = head();
        assertThat(up("main", first).succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(repo.resolve(".berth/state/shop-main.json")).exists();
        String digest = client.headManifest("shop/site", first).orElseThrow().digest();
        String contentTag = contentTag(digest);
        // What the image holds: the repository's files, none of .berth or .git.
        List<String> entries = layerEntries(digest);
        assertThat(entries).contains("app/web/hello.txt", "app/berth.yml")
                .noneMatch(e -> e.startsWith("app/.berth") || e.startsWith("app/.git"));

        // Berth wrote its record, git a new commit: neither changes the content tag.
        git("commit", "-q", "--allow-empty", "-m", "second");
        log.clear();
        assertThat(up("main", head()).succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).anyMatch(l -> l.endsWith("(same Dockerfile, args, base images and files), build skipped"));
        assertThat(log).noneMatch(l -> l.startsWith("[site] STEP "));
        assertThat(client.headManifest("shop/site", head()).orElseThrow().digest()).isEqualTo(digest);
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

    /** Pushes an image of one file, {@code base.txt} holding {@code content}, as base/os:1; returns its digest. */
    private String pushBase(String content) throws Exception {
        Path base = Files.createDirectories(folder.resolve("base-" + content));
        Files.writeString(base.resolve("base.txt"), content + "\n");
        Files.writeString(base.resolve("Dockerfile"), "FROM scratch\nCOPY base.txt /base.txt\n");
        String local = "localhost/berth-test-" + registry.port + "-base:" + content;
        buildah(true, "bud", "--quiet", "--tag", local, base.toString());
        buildah(true, "push", "--quiet", "--tls-verify=false", local, "docker://" + registry.host() + "/base/os:1");
        buildah(true, "rmi", local);
        return client.headManifest("base/os", "1").orElseThrow().digest();
    }

    private void buildah(boolean mustSucceed, String... arguments) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("buildah"));
        command.addAll(List.of(arguments));
        ProcessBuilder process = new ProcessBuilder(command).redirectErrorStream(true);
        process.environment().putAll(BUILDAH);
        Process started = process.start();
        String out = new String(started.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exitCode = started.waitFor();
        if (mustSucceed) {
            assertThat(exitCode).as(String.join(" ", command) + "\n" + out).isZero();
        }
    }

    /** The layer digests of the image {@code reference} names in {@code repository}. */
    private List<String> layers(String repository, String reference) throws Exception {
        Manifest manifest = client.getManifest(repository, reference);
        return manifest.blobs().subList(1, manifest.blobs().size());
    }

    @Test
    void aNewBaseImageUnderTheSameTagChangesTheContentTagAndRebuildsFromExactlyThatDigest() throws Exception {
        String first = pushBase("one");
        Files.writeString(repo.resolve("web/Dockerfile"), "ARG BASE=" + registry.host() + "/base/os:1\n"
                + "FROM ${BASE}\nCOPY hello.txt /hello.txt\n");
        assertThat(up("main", "c1c1c1").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).contains("INFO: image web: FROM " + registry.host() + "/base/os:1 (web/Dockerfile:2) is "
                + registry.host() + "/base/os@" + first);
        String built = digest("c1c1c1");
        String contentTag = client.listTags("shop/web").stream().filter(t -> t.startsWith(ContentTag.PREFIX))
                .findFirst().orElseThrow();
        List<String> baseLayers = layers("base/os", first);
        assertThat(layers("shop/web", built)).startsWith(baseLayers.toArray(String[]::new));

        // The same files and the same base: skipped.
        log.clear();
        assertThat(up("main", "c2c2c2").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).anyMatch(l -> l.endsWith("build skipped"));
        assertThat(digest("c2c2c2")).isEqualTo(built);

        // A new base image under the same tag: another content tag, a build, the new base's layer in the image.
        String second = pushBase("two");
        assertThat(second).isNotEqualTo(first);
        log.clear();
        assertThat(up("main", "c3c3c3").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).noneMatch(l -> l.endsWith("build skipped")).anyMatch(l -> l.startsWith("[web] STEP 1/"));
        String rebuilt = digest("c3c3c3");
        assertThat(rebuilt).isNotEqualTo(built);
        assertThat(client.listTags("shop/web").stream().filter(t -> t.startsWith(ContentTag.PREFIX)))
                .hasSize(2).contains(contentTag);
        assertThat(layers("shop/web", rebuilt)).startsWith(layers("base/os", second).toArray(String[]::new))
                .doesNotContainAnyElementsOf(baseLayers);
    }

    /**
     * The tag can move between Berth's HEAD and the builder's pull: buildah is told to build from the digest the
     * content tag holds, not from whatever the tag names by then.
     */
    @Test
    void buildahBuildsFromThePinnedDigestEvenWhenTheTagHasMovedSince() throws Exception {
        String first = pushBase("one");
        String second = pushBase("two");
        assertThat(second).isNotEqualTo(first);
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM " + registry.host() + "/base/os:1\n"
                + "COPY hello.txt /hello.txt\n");
        String name = registry.host() + "/base/os:1";
        BaseImages.Pinned pinned = new BaseImages.Pinned(null, name, BaseImages.Name.parse(name),
                registry.host() + "/base/os@" + first);
        io.jenkins.plugins.berth.images.registry.ImageReference target =
                io.jenkins.plugins.berth.images.registry.ImageReference.of(registry.host(), "shop/web", "pinned");
        LocalCommandRunner runner = new LocalCommandRunner(repo);
        for (io.jenkins.plugins.berth.run.Command command : BuildCommands.of(
                io.jenkins.plugins.berth.model.ImageBuilder.BUILDAH, new BuildCommands.Build(repo.resolve("web"),
                        repo.resolve("web/Dockerfile"), Map.of(), Map.of(), target, true, Optional.empty(),
                        Optional.empty(), List.of(), List.of(pinned)), builder)) {
            List<String> output = new java.util.ArrayList<>();
            assertThat(runner.run(command, output::add)).as(String.join("\n", output)).isZero();
        }
        assertThat(layers("shop/web", "pinned")).startsWith(layers("base/os", first).toArray(String[]::new))
                .doesNotContainAnyElementsOf(layers("base/os", second));
    }

    /**
     * buildx is no Docker here (no daemon): a stand-in {@code docker} on the builder's PATH records what it is given
     * and builds that with buildah, so that the image shows what buildx would have been sent.
     */
    @Test
    void buildxGetsAStagedContextOfTheHashedFilesWithoutBerthsStateOrGit() throws Exception {
        Files.writeString(repo.resolve("Dockerfile"), "FROM scratch\nCOPY . /app/\n");
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                registry: %s/shop
                builder: buildx
                images:
                  site: {}
                """.formatted(registry.host()));
        git("init", "-q");
        Files.createDirectories(repo.resolve(".berth/state"));
        Files.writeString(repo.resolve(".berth/state/old.json"), "{}");
        Path bin = Files.createDirectories(folder.resolve("bin"));
        Path record = Files.createDirectories(folder.resolve("record"));
        Path docker = Files.writeString(bin.resolve("docker"), """
                #!/bin/bash
                # Test stand-in for docker buildx build: records its arguments and the context it got, builds with buildah.
                set -e
                printf '%s\\n' "$@" > "$RECORD/args"
                context="${@: -1}"
                (cd "$context" && find . -type f | sort) > "$RECORD/files"
                bud=(buildah bud --quiet)
                shift 2
                while [ $# -gt 1 ]; do
                  case "$1" in
                    --push) shift ;;
                    --tag) tag="$2"; bud+=("$1" "$2"); shift 2 ;;
                    *) bud+=("$1" "$2"); shift 2 ;;
                  esac
                done
                "${bud[@]}" "$context"
                buildah push --quiet --tls-verify=false "$tag" "docker://$tag"
                """);
        Files.setPosixFilePermissions(docker, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> environment = new java.util.HashMap<>(builder);
        environment.put("PATH", bin + ":" + System.getenv("PATH"));
        environment.put("RECORD", record.toString());
        assertThat(up("main", "", ImagesPhase.Options.DEFAULT, environment).succeeded()).as(String.join("\n", log))
                .isTrue();
        List<String> args = Files.readAllLines(record.resolve("args"));
        Path context = Path.of(args.get(args.size() - 1));
        assertThat(context).isNotEqualTo(repo).doesNotExist();
        assertThat(args).containsSubsequence("buildx", "build", "--file")
                .doesNotContain(repo.resolve("Dockerfile").toString());
        assertThat(Files.readAllLines(record.resolve("files"))).contains("./Dockerfile", "./berth.yml",
                "./web/hello.txt").noneMatch(f -> f.startsWith("./.berth") || f.startsWith("./.git"));
        String digest = client.headManifest("shop/site", "shop-main").orElseThrow().digest();
        assertThat(layerEntries(digest)).contains("app/web/hello.txt")
                .noneMatch(e -> e.startsWith("app/.berth") || e.startsWith("app/.git"));
    }

    @Test
    void rebuildBuildsAnExistingContentTagAgainAndOfflineAsksNoRegistryForTheBase() throws Exception {
        String base = pushBase("one");
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM " + registry.host() + "/base/os:1\n"
                + "COPY hello.txt /hello.txt\n");
        assertThat(up("main", "c1c1c1").succeeded()).as(String.join("\n", log)).isTrue();
        String contentTag = client.listTags("shop/web").stream().filter(t -> t.startsWith(ContentTag.PREFIX))
                .findFirst().orElseThrow();
        log.clear();
        assertThat(up("main", "c2c2c2", new ImagesPhase.Options(true, false), builder).succeeded())
                .as(String.join("\n", log)).isTrue();
        assertThat(log).contains("INFO: image web: --rebuild: building " + registry.host() + "/shop/web:" + contentTag
                + " again").anyMatch(l -> l.startsWith("[web] STEP 1/")).noneMatch(l -> l.endsWith("build skipped"));

        int before = registry.requests().length();
        log.clear();
        assertThat(up("main", "c3c3c3", new ImagesPhase.Options(false, true), builder).succeeded())
                .as(String.join("\n", log)).isTrue();
        assertThat(log).anyMatch(l -> l.startsWith("INFO: image web: --offline: base images are not asked for"));
        // Berth asked nothing about the base (buildah, the builder, still pulls it as its pull policy says).
        assertThat(registry.requests().substring(before).lines().filter(l -> l.contains("Java-http-client")))
                .isNotEmpty().noneMatch(l -> l.contains("/v2/base/os/"));
        // Without the base's digest, the tag is another one (what the Dockerfile and files give alone).
        assertThat(client.listTags("shop/web").stream().filter(t -> t.startsWith(ContentTag.PREFIX))).hasSize(2);
        assertThat(layers("shop/web", digest("c3c3c3"))).startsWith(layers("base/os", base).toArray(String[]::new));
    }

    @Test
    void aCommitOtherThanTheCheckedOutOneIsBuiltFromItsOwnFiles() throws Exception {
        git("init", "-q");
        Files.writeString(repo.resolve(".gitignore"), ".berth/\nimage.txt\n");
        Files.writeString(repo.resolve("web/run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(repo.resolve("web/run.sh"),
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        git("add", "-A");
        git("commit", "-q", "-m", "version 1");
        String v1 = head();
        Files.writeString(repo.resolve("web/hello.txt"), "hello, version 2\n");
        git("commit", "-q", "-am", "version 2");
        String v2 = head();
        // What git has for HEAD, built from the working folder, and the same files from an archive, give one tag.
        assertThat(up("main", v2).succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).noneMatch(l -> l.contains("built from commit"));
        String v2Digest = digest(v2);
        assertThat(layerText("shop/web", v2Digest, "hello.txt")).isEqualTo("hello, version 2\n");

        // An uncommitted change, and a deploy of the first commit: built from that commit's files.
        Files.writeString(repo.resolve("web/hello.txt"), "not committed\n");
        log.clear();
        assertThat(up("main", v1).succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).anyMatch(l -> l.equals("INFO: images: built from commit " + v1 + " (its files of the"
                + " repository), not from the working folder, which has " + v2 + " checked out"));
        String v1Digest = digest(v1);
        assertThat(v1Digest).isNotEqualTo(v2Digest);
        assertThat(layerText("shop/web", v1Digest, "hello.txt")).isEqualTo("hello\n");
        assertThat(config(v1Digest)).contains("\"org.opencontainers.image.revision\":\"" + v1 + "\"");
        // The commit's tree is gone once the run ended; the working folder is as it was.
        try (var temporary = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertThat(temporary.filter(p -> p.getFileName().toString().startsWith("berth-commit-"))
                    .filter(p -> Files.exists(p.resolve("tree/web/hello.txt")))
                    .filter(p -> contentOf(p.resolve("tree/web/hello.txt")).equals("hello\n"))).isEmpty();
        }
        assertThat(repo.resolve("web/hello.txt")).hasContent("not committed");

        // Building v2 again from its archive gives the tag its working folder gave: modes and all.
        git("stash", "-q");
        git("checkout", "-q", v1);
        log.clear();
        assertThat(up("main", v2).succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(log).anyMatch(l -> l.startsWith("INFO: images: built from commit " + v2))
                .anyMatch(l -> l.endsWith("build skipped"));
        assertThat(digest(v2)).isEqualTo(v2Digest);

        // A commit the repository does not have stops the build.
        log.clear();
        RunResult unknown = up("main", "0123456789abcdef0123456789abcdef01234567");
        assertThat(unknown.succeeded()).isFalse();
        assertThat(log).anyMatch(l -> l.contains("commit 0123456789abcdef0123456789abcdef01234567 is not in the git"
                + " repository of " + repo + ", so its images cannot be built from it"));
    }

    private static String contentOf(Path file) {
        try {
            return Files.readString(file);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    private String head() throws Exception {
        Process process = new ProcessBuilder("git", "rev-parse", "HEAD").directory(repo.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).isZero();
        return out;
    }

    /** The text of {@code file} in the image's last layer. */
    private String layerText(String repository, String digest, String file) throws Exception {
        Manifest manifest = client.getManifest(repository, digest);
        String layer = manifest.blobs().get(manifest.blobs().size() - 1);
        byte[] blob = HttpClient.newBuilder().build().send(HttpRequest.newBuilder(URI.create("http://"
                + registry.host() + "/v2/" + repository + "/blobs/" + layer)).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
        Path tar = Files.write(folder.resolve("layer-" + digest.substring(7, 19) + ".tar.gz"), blob);
        Process extract = new ProcessBuilder("tar", "-xzOf", tar.toString(), file).start();
        String out = new String(extract.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(extract.waitFor()).isZero();
        return out;
    }

    @Test
    void aRepositoryPerEnvironmentIsWhereTheBuildPushesAndWhatTeardownDeletes() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), Files.readString(repo.resolve("berth.yml")).replace(
                "tags: [stable] }", "tags: [stable], repository: \"${BERTH_ENVIRONMENT}/${IMAGE}\" }"));
        assertThat(up("main", "c1c1c1").succeeded()).as(String.join("\n", log)).isTrue();
        assertThat(up("feature/x", "c2c2c2").succeeded()).as(String.join("\n", log)).isTrue();
        String feature = client.headManifest("shop/shop-feature-x/web", "c2c2c2").orElseThrow().digest();
        assertThat(client.headManifest("shop/shop-main/web", "latest")).isPresent();
        assertThat(client.headManifest("shop/shop-feature-x/web", "latest")).isEmpty();
        assertThat(client.listTags("shop/web")).isEmpty();
        Path states = repo.resolve(".berth/state");
        DirectoryStateStore state = new DirectoryStateStore(states);
        assertThat(state.read("shop-feature-x").orElseThrow().images())
                .containsEntry("web", registry.host() + "/shop/shop-feature-x/web@" + feature);

        io.jenkins.plugins.berth.teardown.Teardown teardown = new io.jenkins.plugins.berth.teardown.Teardown(
                new io.jenkins.plugins.berth.terraform.Destroyer(states, state, new LocalCommandRunner(repo),
                        recordingLog(), List.of(), Clock.systemUTC()),
                state, state::keptFolder, LocalCommandRunner::new, Optional.of(new ImageCleanup(host -> client, state)),
                io.jenkins.plugins.berth.teardown.Retries.DEFAULT, recordingLog(), Clock.systemUTC());
        log.clear();
        teardown.down("shop-feature-x", SecretSource.none());
        assertThat(log).anyMatch(l -> l.startsWith("INFO: image web: deleted " + registry.host()
                + "/shop/shop-feature-x/web@" + feature));
        assertThat(client.headManifest("shop/shop-feature-x/web", "c2c2c2")).isEmpty();
        assertThat(client.headManifest("shop/shop-main/web", "c1c1c1")).isPresent();
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
