package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.run.TaskFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Base image names read as Docker reads them, and pinned with one manifest HEAD each against a real registry. */
class BaseImagesTest {

    @TempDir
    Path folder;

    @Test
    void namesAreReadAsDockerReadsThem() {
        assertName("alpine", "docker.io", "library/alpine", "latest", "alpine");
        assertName("alpine:3.19", "docker.io", "library/alpine", "3.19", "alpine:3.19");
        assertName("docker.io/library/node:20", "docker.io", "library/node", "20", "node:20");
        assertName("index.docker.io/bitnami/redis", "docker.io", "bitnami/redis", "latest", "bitnami/redis");
        assertName("ghcr.io/acme/app:1.0", "ghcr.io", "acme/app", "1.0", "ghcr.io/acme/app:1.0");
        assertName("localhost/app", "localhost", "app", "latest", "localhost/app");
        assertName("127.0.0.1:5000/base/os:1", "127.0.0.1:5000", "base/os", "1", "127.0.0.1:5000/base/os:1");
        assertName("acme/app:latest", "docker.io", "acme/app", "latest", "acme/app");
        BaseImages.Name pinned = BaseImages.Name.parse("node@sha256:" + "a".repeat(64));
        assertThat(pinned.tag()).isEmpty();
        assertThat(pinned.digest()).contains("sha256:" + "a".repeat(64));
        assertThat(pinned.familiar()).isEqualTo("node@sha256:" + "a".repeat(64));
        assertThat(BaseImages.Name.parse("docker.io/library/node").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(BaseImages.Name.parse("ghcr.io/a/b").apiHost()).isEqualTo("ghcr.io");
        for (String bad : List.of("Alpine", "alpine:", "alpine@sha256:12", "a//b", "", "ghcr.io/", "-x")) {
            assertThatThrownBy(() -> BaseImages.Name.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static void assertName(String text, String registry, String path, String tag, String familiar) {
        BaseImages.Name name = BaseImages.Name.parse(text);
        assertThat(name.registry()).as(text).isEqualTo(registry);
        assertThat(name.path()).as(text).isEqualTo(path);
        assertThat(name.tag()).as(text).contains(tag);
        assertThat(name.familiar()).as(text).isEqualTo(familiar);
    }

    @Test
    void eachBaseImageIsPinnedWithOneHeadAndNoneForAPinnedOne() throws Exception {
        Files.createDirectories(folder.resolve("registry"));
        try (TestRegistry registry = TestRegistry.start(folder.resolve("registry"), false)) {
            RegistryClient client = registry.client(Optional.empty());
            Manifest base = TestRegistry.pushImage(client, folder, "base/os", "1", 100, ManifestMediaTypes.OCI_MANIFEST, 1);
            Manifest tools = TestRegistry.pushImage(client, folder, "base/tools", "2", 100,
                    ManifestMediaTypes.DOCKER_MANIFEST, 2);
            String host = registry.host();
            String dockerfile = "ARG BASE=" + host + "/base/os:1\n"
                    + "FROM ${BASE} AS one\n"
                    + "FROM " + host + "/base/tools@" + tools.digest() + " AS two\n"
                    + "FROM " + host + "/base/os:1\n"
                    + "COPY --from=one / /\nCOPY --from=two / /\n";
            List<String> log = new ArrayList<>();
            BaseImages bases = new BaseImages(h -> new RegistryClient(h, Optional.empty()));
            List<BaseImages.Pinned> pinned = bases.pin("web", "web/Dockerfile", dockerfile, Map.of(), Optional.empty(),
                    List.of(), LogLines.into(log));
            assertThat(pinned).extracting(BaseImages.Pinned::key, BaseImages.Pinned::pinned).containsExactly(
                    org.assertj.core.groups.Tuple.tuple(host + "/base/os:1", host + "/base/os@" + base.digest()),
                    org.assertj.core.groups.Tuple.tuple(host + "/base/tools@" + tools.digest(),
                            host + "/base/tools@" + tools.digest()));
            // Asked once for the tag (the second FROM of it and a second image's build are answered from the run's
            // cache); never for the pinned one.
            bases.pin("api", "api/Dockerfile", "FROM " + host + "/base/os:1\n", Map.of(), Optional.empty(), List.of(),
                    LogLines.into(log));
            assertThat(count(registry.requests(), "HEAD /v2/base/os/manifests/1 ")).isEqualTo(1);
            assertThat(count(registry.requests(), "HEAD /v2/base/tools/manifests/")
                    + count(registry.requests(), "GET /v2/base/tools/manifests/")).isZero();

            // A base image the registry does not have, named with its line.
            assertThatThrownBy(() -> bases.pin("web", "web/Dockerfile", "FROM scratch\nFROM " + host + "/base/os:9\n",
                    Map.of(), Optional.empty(), List.of(), LogLines.into(log)))
                    .isInstanceOf(TaskFailedException.class).hasMessage("image web: web/Dockerfile:2: FROM: base image "
                            + host + "/base/os:9 does not exist in its registry (" + host + " has no manifest base/os:9)");
            // A name the builder computes is left out, and the log says so.
            log.clear();
            assertThat(bases.pin("web", "web/Dockerfile", "FROM " + host + "/base/os:${TARGETARCH}\n", Map.of(),
                    Optional.empty(), List.of(), LogLines.into(log))).isEmpty();
            assertThat(log).containsExactly("INFO: image web: web/Dockerfile:1: FROM " + host + "/base/os:${TARGETARCH}"
                    + " needs $TARGETARCH, which the builder sets: that image's digest is not part of the content tag"
                    + " (a new one rebuilds only with up --rebuild)");
        }
    }

    /** As Docker Hub answers: a 401 naming a token service, which gives anyone a pull token. No credentials sent. */
    @Test
    void aPublicRegistryIsAskedWithAnAnonymousToken() throws Exception {
        Path registryFolder = Files.createDirectories(folder.resolve("token-registry"));
        try (TokenServer tokens = TokenServer.start(registryFolder, TestRegistry.USER, true);
                TestRegistry registry = TestRegistry.start(registryFolder, TestRegistry.Auth.TOKEN, tokens)) {
            Manifest base = TestRegistry.pushImage(registry.client(Optional.of(TestRegistry.USER)), folder,
                    "library/node", "20", 100, ManifestMediaTypes.OCI_MANIFEST, 3);
            BaseImages bases = new BaseImages(h -> new RegistryClient(h, Optional.empty()));
            List<BaseImages.Pinned> pinned = bases.pin("web", "Dockerfile", "FROM " + registry.host() + "/library/node:20\n",
                    Map.of(), Optional.empty(), List.of(), LogLines.into(new ArrayList<>()));
            assertThat(pinned).extracting(BaseImages.Pinned::pinned)
                    .containsExactly(registry.host() + "/library/node@" + base.digest());
            assertThat(tokens.scopesAsked).contains("repository:library/node:pull");
            assertThat(registry.requests()).contains("\"HEAD /v2/library/node/manifests/20 HTTP/1.1\" 401")
                    .contains("\"HEAD /v2/library/node/manifests/20 HTTP/1.1\" 200");
        }
    }

    @Test
    void aRegistryThatCannotBeReachedStopsTheBuildNamingTheLineAndTheWayOut() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        BaseImages bases = new BaseImages(h -> new RegistryClient(h, Optional.empty()));
        assertThatThrownBy(() -> bases.pin("web", "web/Dockerfile", "# a comment\nFROM 127.0.0.1:" + closed
                + "/base/os:1 AS base\n", Map.of(), Optional.empty(), List.of(), LogLines.into(new ArrayList<>())))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageStartingWith("image web: web/Dockerfile:2: FROM: cannot find the digest of base image 127.0.0.1:"
                        + closed + "/base/os:1: cannot reach registry 127.0.0.1:" + closed)
                .hasMessageEndingWith("or run up --offline to build without asking (the content tag then covers the"
                        + " Dockerfile's text only)");
        assertThatThrownBy(() -> bases.pin("web", "web/Dockerfile", "FROM Alpine\n", Map.of(), Optional.empty(),
                List.of(), LogLines.into(new ArrayList<>()))).isInstanceOf(TaskFailedException.class)
                .hasMessageStartingWith("image web: web/Dockerfile:1: FROM: 'Alpine' is not an image name");
        // What BuildKit refuses stops the build before any registry is asked, naming the line.
        assertThatThrownBy(() -> bases.pin("web", "web/Dockerfile", "FROM 127.0.0.1:" + closed + "/os:1\n"
                + "COPY --from=$STAGE / /\n", Map.of(), Optional.empty(), List.of(), LogLines.into(new ArrayList<>())))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageStartingWith("image web: web/Dockerfile:2: BuildKit would refuse to build it: variable"
                        + " expansion is not supported for --from");
        assertThatThrownBy(() -> bases.pin("web", "web/Dockerfile", "FROM 127.0.0.1:" + closed + "/os:1\n", Map.of(),
                Optional.of("nope"), List.of(), LogLines.into(new ArrayList<>()))).isInstanceOf(TaskFailedException.class)
                .hasMessage("image web: web/Dockerfile: BuildKit would refuse to build it: target stage \"nope\" could"
                        + " not be found; fix the Dockerfile or the image's target");
    }

    private static int count(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
