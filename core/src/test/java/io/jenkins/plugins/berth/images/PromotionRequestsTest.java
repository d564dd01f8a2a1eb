package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a promotion asks of real registries (Debian's docker-registry), counted in their access logs: the same
 * repository, another repository of the registry, another registry (with credentials of its own, by token), and
 * the number of requests each takes. The lists are exact: a request more is a failure.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PromotionRequestsTest {

    @TempDir
    Path folder;

    private static ImageReference ref(TestRegistry registry, String text) {
        return ImageReference.parse(registry.host() + "/" + text);
    }

    @Test
    void withinARepositoryAManifestGetAndPut() throws Exception {
        try (TestRegistry registry = TestRegistry.start(folder, false)) {
            RegistryClient client = registry.client(Optional.empty());
            Manifest pushed = TestRegistry.pushImage(client, folder, "shop/web", "build", 4096,
                    ManifestMediaTypes.OCI_MANIFEST, 1);
            int before = registry.requests().length();
            assertThat(new Promoter(client).promote(ref(registry, "shop/web:build"), ref(registry, "shop/web:staging")))
                    .isEqualTo(pushed.digest());
            assertThat(registry.requestsSince(before)).containsExactly(
                    "GET /v2/shop/web/manifests/build 200",
                    "PUT /v2/shop/web/manifests/staging 201");
        }
    }

    @Test
    void acrossRepositoriesOneMountPerBlobAndNoBlobByteMoves() throws Exception {
        try (TestRegistry registry = TestRegistry.start(folder, false)) {
            RegistryClient client = registry.client(Optional.empty());
            Manifest pushed = TestRegistry.pushImage(client, folder, "shop/web", "build", 512 * 1024,
                    ManifestMediaTypes.DOCKER_MANIFEST, 2);
            int before = registry.requests().length();
            ImageReference source = ImageReference.pinned(registry.host(), "shop/web", pushed.digest());
            assertThat(new Promoter(client).promote(source, ref(registry, "release/web:prod")))
                    .isEqualTo(pushed.digest());
            assertThat(registry.requestsSince(before)).containsExactly(
                    "GET /v2/shop/web/manifests/" + pushed.digest() + " 200",
                    "POST /v2/release/web/blobs/uploads/ 201",
                    "POST /v2/release/web/blobs/uploads/ 201",
                    "PUT /v2/release/web/manifests/prod 201");
            // Linked, not copied: no blob was read, and no upload got bytes (each POST answered 201, no PUT).
            assertThat(client.getManifest("release/web", "prod").content()).isEqualTo(pushed.content());
        }
    }

    @Test
    void acrossRegistriesEachMissingBlobIsStreamedOnceWithEachRegistrysCredentials() throws Exception {
        Path a = Files.createDirectories(folder.resolve("a"));
        Path b = Files.createDirectories(folder.resolve("b"));
        Credentials other = new Credentials("promoter", "an0ther-registry-pw");
        try (TestRegistry source = TestRegistry.start(a, true);
                TokenServer tokens = TokenServer.start(b, other);
                TestRegistry target = TestRegistry.start(b, TestRegistry.Auth.TOKEN, tokens)) {
            RegistryClient sourceClient = source.client(Optional.of(TestRegistry.USER));
            RegistryClient targetClient = target.client(Optional.of(other));
            Manifest pushed = TestRegistry.pushImage(sourceClient, a, "shop/web", "build", 3 * 1024 * 1024,
                    ManifestMediaTypes.OCI_MANIFEST, 3);
            List<String> blobs = pushed.blobs();
            Promoter promoter = new Promoter(host -> host.equals(source.host()) ? source.client(Optional.of(
                    TestRegistry.USER)) : target.client(Optional.of(other)));
            int sourceBefore = source.requests().length();
            int targetBefore = target.requests().length();
            ImageReference from = ImageReference.pinned(source.host(), "shop/web", pushed.digest());
            assertThat(promoter.promote(from, ref(target, "prod/web:prod"))).isEqualTo(pushed.digest());
            // Each registry challenges its first request once; after that: the manifest and each blob read once at
            // the source, and at the target per blob the POST that finds it missing and opens the upload, then the
            // PUT with the bytes; then the manifest.
            assertThat(source.requestsSince(sourceBefore)).containsExactly(
                    "GET /v2/shop/web/manifests/" + pushed.digest() + " 401",
                    "GET /v2/shop/web/manifests/" + pushed.digest() + " 200",
                    "GET /v2/shop/web/blobs/" + blobs.get(0) + " 200",
                    "GET /v2/shop/web/blobs/" + blobs.get(1) + " 200");
            assertThat(target.requestsSince(targetBefore)).containsExactly(
                    "POST /v2/prod/web/blobs/uploads/ 401",
                    "POST /v2/prod/web/blobs/uploads/ 202",
                    "PUT /v2/prod/web/blobs/uploads/ID 201",
                    "POST /v2/prod/web/blobs/uploads/ 202",
                    "PUT /v2/prod/web/blobs/uploads/ID 201",
                    "PUT /v2/prod/web/manifests/prod 201");
            assertThat(targetClient.getManifest("prod/web", "prod").content()).isEqualTo(pushed.content());
            for (String blob : blobs) {
                assertThat(sha256(targetClient, "prod/web", blob)).isEqualTo(blob);
            }
            assertThat(tokens.scopesAsked).contains("repository:prod/web:pull,push");
            assertThat(source.requests() + target.requests()).doesNotContain(TestRegistry.USER.password())
                    .doesNotContain(other.password());

            // Promoted again, to another tag: the target has every blob, so nothing is read at the source but the
            // manifest, and nothing is uploaded.
            sourceBefore = source.requests().length();
            targetBefore = target.requests().length();
            assertThat(promoter.promote(from, ref(target, "prod/web:again"))).isEqualTo(pushed.digest());
            assertThat(source.requestsSince(sourceBefore)).containsExactly(
                    "GET /v2/shop/web/manifests/" + pushed.digest() + " 200");
            assertThat(target.requestsSince(targetBefore)).containsExactly(
                    "POST /v2/prod/web/blobs/uploads/ 201",
                    "POST /v2/prod/web/blobs/uploads/ 201",
                    "PUT /v2/prod/web/manifests/again 201");
        }
    }

    @Test
    void anIndexCrossesRegistriesWithEachPlatformManifestFirst() throws Exception {
        Path a = Files.createDirectories(folder.resolve("a"));
        Path b = Files.createDirectories(folder.resolve("b"));
        try (TestRegistry source = TestRegistry.start(a, false); TestRegistry target = TestRegistry.start(b, false)) {
            RegistryClient sourceClient = source.client(Optional.empty());
            Manifest amd64 = TestRegistry.pushImage(sourceClient, a, "shop/api", "amd64", 2048,
                    ManifestMediaTypes.OCI_MANIFEST, 4);
            Manifest arm64 = TestRegistry.pushImage(sourceClient, a, "shop/api", "arm64", 2048,
                    ManifestMediaTypes.OCI_MANIFEST, 5);
            Manifest index = TestRegistry.pushIndex(sourceClient, "shop/api", "multi", ManifestMediaTypes.DOCKER_LIST,
                    List.of(amd64, arm64));
            Promoter promoter = new Promoter(host -> host.equals(source.host()) ? sourceClient
                    : target.client(Optional.empty()));
            int before = target.requests().length();
            assertThat(promoter.promote(ref(source, "shop/api:multi"), ref(target, "prod/api:prod")))
                    .isEqualTo(index.digest());
            List<String> requests = target.requestsSince(before);
            // Each platform manifest is stored by digest after its blobs, and before the index.
            assertThat(requests).filteredOn(r -> r.startsWith("PUT /v2/prod/api/manifests/")).containsExactly(
                    "PUT /v2/prod/api/manifests/" + amd64.digest() + " 201",
                    "PUT /v2/prod/api/manifests/" + arm64.digest() + " 201",
                    "PUT /v2/prod/api/manifests/prod 201");
            assertThat(requests).filteredOn(r -> r.startsWith("PUT /v2/prod/api/blobs/uploads/")).hasSize(4);
            assertThat(requests).hasSize(4 * 2 + 3);
            RegistryClient targetClient = target.client(Optional.empty());
            assertThat(targetClient.getManifest("prod/api", "prod").content()).isEqualTo(index.content());
            assertThat(targetClient.getManifest("prod/api", arm64.digest()).content()).isEqualTo(arm64.content());
        }
    }

    private static String sha256(RegistryClient client, String repository, String digest) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (RegistryClient.Blob blob = client.openBlob(repository, digest); InputStream in = blob.content()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }
}
