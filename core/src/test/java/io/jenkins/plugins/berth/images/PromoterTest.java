package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import io.jenkins.plugins.berth.images.registry.ManifestNotFoundException;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryUnauthorizedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Promotion against a real registry with Basic authentication: no layer moves, digests stay. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PromoterTest {

    @TempDir
    Path folder;

    private TestRegistry registry;
    private RegistryClient client;

    @BeforeEach
    void start() throws Exception {
        registry = TestRegistry.start(folder, true);
        client = registry.client(Optional.of(TestRegistry.USER));
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    private ImageReference ref(String text) {
        return ImageReference.parse(registry.host() + "/" + text);
    }

    @Test
    void retagWithinARepositoryKeepsTheDigest() throws Exception {
        Manifest pushed = TestRegistry.pushImage(client, folder, "shop/web", "abc123", 1024,
                ManifestMediaTypes.OCI_MANIFEST, 1);
        String digest = new Promoter(client).promote(ref("shop/web:abc123"), ref("shop/web:staging"));
        assertThat(digest).isEqualTo(pushed.digest());
        assertThat(client.headManifest("shop/web", "staging")).hasValueSatisfying(head -> {
            assertThat(head.digest()).isEqualTo(pushed.digest());
            assertThat(head.mediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
        });
    }

    @Test
    void promotionAcrossRepositoriesMountsBlobsAndDownloadsNoLayer() throws Exception {
        Manifest pushed = TestRegistry.pushImage(client, folder, "shop/web", "abc123", 256 * 1024,
                ManifestMediaTypes.DOCKER_MANIFEST, 2);
        int before = registry.requests().length();
        String digest = new Promoter(client).promote(ref("shop/web:abc123"), ref("release/web:prod"));
        assertThat(digest).isEqualTo(pushed.digest());
        for (String blob : pushed.blobs()) {
            assertThat(client.hasBlob("release/web", blob)).isTrue();
        }
        String promotionRequests = registry.requests().substring(before);
        assertThat(promotionRequests).contains("mount=").doesNotContain("GET /v2/shop/web/blobs/")
                .doesNotContain("PATCH /v2/").doesNotContain("PUT /v2/release/web/blobs/");
        assertThat(client.getManifest("release/web", "prod").content()).isEqualTo(pushed.content());
    }

    @Test
    void anIndexIsPromotedWithItsPlatformManifests() throws Exception {
        Manifest amd64 = TestRegistry.pushImage(client, folder, "shop/api", "amd64", 2048, ManifestMediaTypes.OCI_MANIFEST, 3);
        Manifest arm64 = TestRegistry.pushImage(client, folder, "shop/api", "arm64", 2048, ManifestMediaTypes.OCI_MANIFEST, 4);
        for (String indexType : List.of(ManifestMediaTypes.OCI_INDEX, ManifestMediaTypes.DOCKER_LIST)) {
            Manifest index = TestRegistry.pushIndex(client, "shop/api", "multi", indexType, List.of(amd64, arm64));
            String target = indexType.equals(ManifestMediaTypes.OCI_INDEX) ? "release/api" : "release/api-list";
            assertThat(new Promoter(client).promote(ref("shop/api:multi"), ref(target + ":prod"))).isEqualTo(index.digest());
            assertThat(client.getManifest(target, amd64.digest()).content()).isEqualTo(amd64.content());
            assertThat(client.getManifest(target, arm64.digest()).content()).isEqualTo(arm64.content());
            assertThat(client.headManifest(target, "prod").orElseThrow().mediaType()).isEqualTo(indexType);
        }
    }

    @Test
    void aMissingSourceTagIsRefusedClearly() {
        assertThatThrownBy(() -> new Promoter(client).promote(ref("shop/web:latest"), ref("shop/web:staging")))
                .isInstanceOf(ManifestNotFoundException.class)
                .hasMessage(registry.host() + "/shop/web:latest does not exist in the registry");
    }

    @Test
    void theAuthenticationChallengeIsAnsweredAndWithoutCredentialsRefused() throws Exception {
        TestRegistry.pushImage(client, folder, "shop/web", "abc", 64, ManifestMediaTypes.OCI_MANIFEST, 5);
        // The first request was challenged (401), the next ones authorized; the password is in no log line.
        assertThat(registry.requests()).contains("\"POST /v2/shop/web/blobs/uploads/ HTTP/1.1\" 401")
                .contains("msg=\"authorized request\"").doesNotContain("s3cret-registry-pw");
        RegistryClient anonymous = registry.client(Optional.empty());
        assertThatThrownBy(() -> anonymous.headManifest("shop/web", "abc"))
                .isInstanceOf(RegistryUnauthorizedException.class)
                .hasMessageStartingWith("registry " + registry.host() + " refused to let Berth check manifest shop/web:abc");
        RegistryClient wrong = registry.client(Optional.of(new io.jenkins.plugins.berth.images.registry.Credentials(
                "berth", "wrong")));
        assertThatThrownBy(() -> wrong.headManifest("shop/web", "abc")).isInstanceOf(RegistryUnauthorizedException.class);
    }

    @Test
    void theBearerChallengeIsAnsweredWithATokenPerScope(@TempDir Path tokenFolder) throws Exception {
        try (TokenServer tokens = TokenServer.start(tokenFolder, TestRegistry.USER);
                TestRegistry tokenRegistry = TestRegistry.start(tokenFolder, TestRegistry.Auth.TOKEN, tokens)) {
            RegistryClient bearer = tokenRegistry.client(Optional.of(TestRegistry.USER));
            Manifest pushed = TestRegistry.pushImage(bearer, tokenFolder, "shop/web", "abc", 512,
                    ManifestMediaTypes.OCI_MANIFEST, 6);
            ImageReference source = ImageReference.parse(tokenRegistry.host() + "/shop/web:abc");
            assertThat(new Promoter(bearer).promote(source, source.withRepositoryAndTag("release/web", "prod")))
                    .isEqualTo(pushed.digest());
            // The mount asked for one token covering both repositories.
            assertThat(tokens.scopesAsked).contains("repository:shop/web:pull,push", "repository:release/web:pull,push",
                    "repository:shop/web:pull");
            assertThat(tokenRegistry.requests()).contains("\" 401 ").doesNotContain(TestRegistry.USER.password());
            RegistryClient stranger = tokenRegistry.client(Optional.of(new io.jenkins.plugins.berth.images.registry
                    .Credentials("berth", "wrong")));
            assertThatThrownBy(() -> stranger.headManifest("shop/web", "abc"))
                    .isInstanceOf(RegistryUnauthorizedException.class);
        }
    }

    @Test
    void referencesParseBack() {
        for (String text : List.of("127.0.0.1:5000/shop/web:abc", "registry.example.com/a/b/c@sha256:" + "a".repeat(64),
                "localhost/x:1.0-rc_1")) {
            assertThat(ImageReference.parse(text).toString()).isEqualTo(text);
        }
        assertThatThrownBy(() -> ImageReference.parse("web:latest")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageReference.parse("127.0.0.1:5000/Shop/web:x")).isInstanceOf(IllegalArgumentException.class);
    }
}
