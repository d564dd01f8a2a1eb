package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.ReleaseRecords;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.DeployFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Release stages against a real registry: the first promotes what the release branch's environment runs, by
 * digest; the next the stage before it; digests recorded; a stage may keep its images in another repository or
 * registry.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReleasePromotionTest {

    @TempDir
    Path folder;

    private TestRegistry registry;
    private RegistryClient client;
    private DeployFile file;
    private DirectoryStateStore state;

    @BeforeEach
    void start() throws Exception {
        registry = TestRegistry.start(folder, false);
        client = registry.client(Optional.empty());
        state = new DirectoryStateStore(folder.resolve("state"));
        file = TestFiles.valid("""
                version: 1
                project: shop
                registry: %s/shop
                images:
                  web: { context: web }
                  api: { context: api }
                release:
                  - stage: staging
                  - { stage: prod, approval: true }
                """.formatted(registry.host()));
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
    }

    private ReleasePromotion promotion() {
        return new ReleasePromotion(target -> {
            assertThat(target.toString()).isEqualTo(registry.host() + "/shop");
            return new RegistryRetagger(client);
        });
    }

    /** The record a deploy of {@code branch} leaves: its environment, status and images. */
    private void deployed(String environment, String branch, EnvironmentStatus status, Map<String, Manifest> images)
            throws Exception {
        Instant now = Instant.now();
        state.update(environment, stored -> EnvironmentRecord.create(environment, "shop", branch,
                EnvironmentKind.ofBranch(branch), false, now).withDeploy(Optional.of("c-" + branch), Optional.empty(), now)
                .withStatus(status, now).withImages(images.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                        e -> registry.host() + "/shop/" + e.getKey() + "@" + e.getValue().digest())), now));
    }

    private ReleaseBuild build(Optional<String> from) throws Exception {
        return ReleaseBuild.of(file, state, "shop", from);
    }

    @Test
    void theFirstStageTakesTheReleaseBranchsBuildByDigestAndTheNextTheStageBefore() throws Exception {
        Manifest web = TestRegistry.pushImage(client, folder, "shop/web", "c-main", 512, ManifestMediaTypes.OCI_MANIFEST, 1);
        Manifest api = TestRegistry.pushImage(client, folder, "shop/api", "c-main", 512, ManifestMediaTypes.OCI_MANIFEST, 2);
        deployed("shop-main", "main", EnvironmentStatus.READY, Map.of("web", web, "api", api));
        // A feature branch's build lands on latest (as an older Berth let any branch do): it is not what ships.
        TestRegistry.pushImage(client, folder, "shop/web", "latest", 512, ManifestMediaTypes.OCI_MANIFEST, 3);

        ReleaseBuild build = build(Optional.empty());
        assertThat(build.describe()).isEqualTo("shop-main (branch main at c-main)");
        List<ReleasePromotion.Promoted> staging = promotion().promote(file, "staging", Optional.of(build));
        assertThat(staging).extracting(p -> p.from() + " -> " + p.to()).containsExactly(
                registry.host() + "/shop/web@" + web.digest() + " -> " + registry.host() + "/shop/web:staging",
                registry.host() + "/shop/api@" + api.digest() + " -> " + registry.host() + "/shop/api:staging");
        assertThat(client.headManifest("shop/web", "staging").orElseThrow().digest()).isEqualTo(web.digest());

        // main deploys a newer build; prod still gets what staging has.
        Manifest newer = TestRegistry.pushImage(client, folder, "shop/web", "c2", 512, ManifestMediaTypes.OCI_MANIFEST, 4);
        deployed("shop-main", "main", EnvironmentStatus.READY, Map.of("web", newer, "api", api));
        List<ReleasePromotion.Promoted> prod = promotion().promote(file, "prod", Optional.empty());
        assertThat(prod).extracting(ReleasePromotion.Promoted::digest).containsExactly(web.digest(), api.digest());
        assertThat(prod.get(0).from()).isEqualTo(registry.host() + "/shop/web:staging");

        EnvironmentRecord record = ReleaseRecords.recordPromotion(state, "shop", "prod", prod.stream().collect(
                Collectors.toMap(ReleasePromotion.Promoted::image, ReleasePromotion.Promoted::pinned)), Instant.now());
        assertThat(state.read("shop-prod").orElseThrow().images()).isEqualTo(Map.of(
                "api", registry.host() + "/shop/api@" + api.digest(), "web", registry.host() + "/shop/web@" + web.digest()));
        assertThat(record.name()).isEqualTo("shop-prod");
    }

    @Test
    void withARepositoryPerEnvironmentEachStageGetsItsOwnByBlobMount() throws Exception {
        file = TestFiles.valid("""
                version: 1
                project: shop
                registry: %s/shop
                images:
                  web: { context: web, repository: "${BERTH_ENVIRONMENT}/${IMAGE}" }
                release:
                  - stage: staging
                  - stage: prod
                """.formatted(registry.host()));
        Manifest web = TestRegistry.pushImage(client, folder, "shop/shop-main/web", "c-main", 512,
                ManifestMediaTypes.OCI_MANIFEST, 1);
        Instant now = Instant.now();
        state.update("shop-main", stored -> EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH,
                false, now).withDeploy(Optional.of("c-main"), Optional.empty(), now).withStatus(EnvironmentStatus.READY,
                now).withImages(Map.of("web", registry.host() + "/shop/shop-main/web@" + web.digest()), now));

        List<ReleasePromotion.Promoted> staging = promotion().promote(file, "staging", Optional.of(build(Optional.empty())));
        assertThat(staging).extracting(p -> p.from() + " -> " + p.pinned()).containsExactly(
                registry.host() + "/shop/shop-main/web@" + web.digest() + " -> " + registry.host()
                        + "/shop/shop-staging/web@" + web.digest());
        List<ReleasePromotion.Promoted> prod = promotion().promote(file, "prod", Optional.empty());
        assertThat(prod).extracting(p -> p.from() + " -> " + p.to()).containsExactly(registry.host()
                + "/shop/shop-staging/web:staging -> " + registry.host() + "/shop/shop-prod/web:prod");
        assertThat(client.headManifest("shop/shop-prod/web", "prod").orElseThrow().digest()).isEqualTo(web.digest());
    }

    @Test
    void withoutASuccessfulReleaseBranchBuildNothingIsPromoted() throws Exception {
        Manifest web = TestRegistry.pushImage(client, folder, "shop/web", "latest", 512, ManifestMediaTypes.OCI_MANIFEST, 1);
        Manifest api = TestRegistry.pushImage(client, folder, "shop/api", "latest", 512, ManifestMediaTypes.OCI_MANIFEST, 2);
        // Only a feature branch has deployed: its images are not the release branch's.
        deployed("shop-feature-x", "feature/x", EnvironmentStatus.READY, Map.of("web", web, "api", api));
        assertThatThrownBy(() -> build(Optional.empty())).hasMessage("no release branch has a build to promote: the"
                + " state folder has no environment of main or master (shop-main, shop-master); deploy the release branch"
                + " first (berth up --branch main), or name the environment with --from");

        deployed("shop-main", "main", EnvironmentStatus.FAILED, Map.of("web", web, "api", api));
        assertThatThrownBy(() -> build(Optional.empty())).hasMessage("the last deploy of shop-main did not succeed (it"
                + " is failed): promote once a deploy of main succeeds, or name another environment with --from");

        deployed("shop-main", "main", EnvironmentStatus.READY, Map.of("web", web));
        assertThatThrownBy(() -> build(Optional.empty())).hasMessage("shop-main has no build of image api (its record"
                + " lists web): deploy main with this deploy file first");

        deployed("shop-master", "master", EnvironmentStatus.READY, Map.of("web", web, "api", api));
        assertThatThrownBy(() -> build(Optional.empty())).hasMessage("more than one release branch has deployed"
                + " (shop-main, shop-master): name the environment to promote from with --from");
        assertThat(build(Optional.of("shop-master")).environment()).isEqualTo("shop-master");
        // --from chooses any environment, a feature branch's too: on purpose, by name.
        assertThat(build(Optional.of("shop-feature-x")).branch()).isEqualTo("feature/x");
        assertThatThrownBy(() -> build(Optional.of("shop-nope"))).hasMessage("there is no environment 'shop-nope' to"
                + " promote from in the state folder (berth envs lists them)");
        assertThat(client.headManifest("shop/web", "staging")).isEmpty();
    }

    @Test
    void aMissingSourceRetagsNothing() throws Exception {
        Manifest web = TestRegistry.pushImage(client, folder, "shop/web", "c-main", 512, ManifestMediaTypes.OCI_MANIFEST, 1);
        Manifest api = TestRegistry.pushImage(client, folder, "shop/api", "c-main", 512, ManifestMediaTypes.OCI_MANIFEST, 2);
        deployed("shop-main", "main", EnvironmentStatus.READY, Map.of("web", web, "api", api));
        client.deleteManifest("shop/api", api.digest());
        ReleaseBuild build = build(Optional.empty());
        assertThatThrownBy(() -> promotion().promote(file, "staging", Optional.of(build)))
                .hasMessage("cannot promote to staging: " + registry.host() + "/shop/api@" + api.digest() + " does not"
                        + " exist any more (shop-main (branch main at c-main) recorded it; deploy main again);"
                        + " nothing was retagged");
        assertThat(client.headManifest("shop/web", "staging")).isEmpty();
        assertThatThrownBy(() -> promotion().promote(file, "prod", Optional.empty()))
                .hasMessageContaining("(promote to staging first)");
        assertThatThrownBy(() -> promotion().promote(file, "qa", Optional.empty()))
                .hasMessage("there is no release stage 'qa'; the stages are staging, prod");
    }

    @Test
    void aStageWithARegistryOfItsOwnGetsTheImagesThereByMountOrAcrossRegistries() throws Exception {
        Path other = Files.createDirectories(folder.resolve("other"));
        try (TestRegistry prodRegistry = TestRegistry.start(other, false)) {
            DeployFile withRegistries = TestFiles.valid("""
                    version: 1
                    project: shop
                    registry: %s/shop
                    images:
                      web: { context: web }
                    release:
                      - { stage: staging, registry: %s/release }
                      - { stage: prod, registry: %s/live }
                    """.formatted(registry.host(), registry.host(), prodRegistry.host()));
            Manifest web = TestRegistry.pushImage(client, folder, "shop/web", "c-main", 64 * 1024,
                    ManifestMediaTypes.OCI_MANIFEST, 1);
            deployed("shop-main", "main", EnvironmentStatus.READY, Map.of("web", web));
            ReleasePromotion promotion = new ReleasePromotion(r -> new RegistryRetagger(host ->
                    host.equals(registry.host()) ? client : prodRegistry.client(Optional.empty())));
            int before = registry.requests().length();
            List<ReleasePromotion.Promoted> staging = promotion.promote(withRegistries, "staging",
                    Optional.of(ReleaseBuild.of(withRegistries, state, "shop", Optional.empty())));
            assertThat(staging).singleElement().satisfies(p -> {
                assertThat(p.to()).isEqualTo(registry.host() + "/release/web:staging");
                assertThat(p.pinned()).isEqualTo(registry.host() + "/release/web@" + web.digest());
            });
            assertThat(registry.requestsSince(before)).as("mounted, not copied").containsExactly(
                    "GET /v2/shop/web/manifests/" + web.digest() + " 200",
                    "POST /v2/release/web/blobs/uploads/ 201",
                    "POST /v2/release/web/blobs/uploads/ 201",
                    "PUT /v2/release/web/manifests/staging 201");

            List<ReleasePromotion.Promoted> prod = promotion.promote(withRegistries, "prod", Optional.empty());
            assertThat(prod).singleElement().satisfies(p -> {
                assertThat(p.from()).isEqualTo(registry.host() + "/release/web:staging");
                assertThat(p.to()).isEqualTo(prodRegistry.host() + "/live/web:prod");
                assertThat(p.digest()).isEqualTo(web.digest());
            });
            assertThat(prodRegistry.client(Optional.empty()).getManifest("live/web", "prod").content())
                    .isEqualTo(web.content());
        }
    }
}
