package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.ReleaseRecords;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.DeployFile;
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

/** Release stages against a real registry: each promotes the previous stage's tag, digests recorded. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReleasePromotionTest {

    @TempDir
    Path folder;

    private TestRegistry registry;
    private RegistryClient client;
    private DeployFile file;

    @BeforeEach
    void start() throws Exception {
        registry = TestRegistry.start(folder, false);
        client = registry.client(Optional.empty());
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

    @Test
    void eachStagePromotesThePreviousStagesImagesAndTheDigestsAreRecorded() throws Exception {
        Manifest web = TestRegistry.pushImage(client, folder, "shop/web", "latest", 512, ManifestMediaTypes.OCI_MANIFEST, 1);
        Manifest api = TestRegistry.pushImage(client, folder, "shop/api", "latest", 512, ManifestMediaTypes.OCI_MANIFEST, 2);
        List<ReleasePromotion.Promoted> staging = promotion().promote(file, "staging");
        assertThat(staging).extracting(p -> p.from() + "->" + p.to() + " " + p.digest()).containsExactly(
                registry.host() + "/shop/web:latest->" + registry.host() + "/shop/web:staging " + web.digest(),
                registry.host() + "/shop/api:latest->" + registry.host() + "/shop/api:staging " + api.digest());
        // A newer build of web lands on latest; prod still gets what staging had.
        TestRegistry.pushImage(client, folder, "shop/web", "latest", 512, ManifestMediaTypes.OCI_MANIFEST, 3);
        List<ReleasePromotion.Promoted> prod = promotion().promote(file, "prod");
        assertThat(prod).extracting(ReleasePromotion.Promoted::digest).containsExactly(web.digest(), api.digest());
        assertThat(client.headManifest("shop/web", "prod").orElseThrow().digest()).isEqualTo(web.digest());

        DirectoryStateStore state = new DirectoryStateStore(folder.resolve("state"));
        EnvironmentRecord record = ReleaseRecords.recordPromotion(state, "shop", "prod", prod.stream().collect(
                Collectors.toMap(ReleasePromotion.Promoted::image, ReleasePromotion.Promoted::pinned)), Instant.now());
        assertThat(state.read("shop-prod").orElseThrow().images()).isEqualTo(Map.of(
                "api", registry.host() + "/shop/api@" + api.digest(), "web", registry.host() + "/shop/web@" + web.digest()));
        assertThat(record.name()).isEqualTo("shop-prod");
    }

    @Test
    void aMissingSourceRetagsNothing() throws Exception {
        TestRegistry.pushImage(client, folder, "shop/web", "latest", 512, ManifestMediaTypes.OCI_MANIFEST, 1);
        assertThatThrownBy(() -> promotion().promote(file, "staging"))
                .hasMessage("cannot promote to staging: " + registry.host() + "/shop/api:latest does not exist (build"
                        + " and push the images first); nothing was retagged");
        assertThat(client.headManifest("shop/web", "staging")).isEmpty();
        assertThatThrownBy(() -> promotion().promote(file, "prod"))
                .hasMessageContaining("(promote to staging first)");
        assertThatThrownBy(() -> promotion().promote(file, "qa"))
                .hasMessage("there is no release stage 'qa'; the stages are staging, prod");
    }
}
