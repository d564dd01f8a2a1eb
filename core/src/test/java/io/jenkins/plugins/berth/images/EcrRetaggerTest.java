package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.MotoServer;
import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ecr.EcrClient;

/** ECR retag through the AWS SDK against moto's ECR (BatchGetImage, PutImage); the token is EcrLoginsTest's. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EcrRetaggerTest {
    private static final String HOST = "123456789012.dkr.ecr.us-east-1.amazonaws.com";

    @TempDir
    Path folder;

    private MotoServer moto;
    private EcrClient ecr;

    @BeforeEach
    void start() throws Exception {
        moto = MotoServer.start(folder.resolve("moto.log"));
        ecr = EcrClient.builder().endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .httpClient(UrlConnectionHttpClient.create()).build();
        ecr.createRepository(r -> r.repositoryName("shop/web"));
    }

    @AfterEach
    void stop() throws Exception {
        ecr.close();
        moto.close();
    }

    private String push(String tag, String mediaType, int seed) {
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + mediaType + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:" + "a".repeat(63) + seed
                + "\",\"size\":2},\"layers\":[]}";
        // The digest as ECR reports it. moto's is not the SHA-256 of the manifest (it reports the same one for
        // every manifest), which does not matter here: the retag must keep whatever ECR reports.
        return ecr.putImage(p -> p.repositoryName("shop/web").imageManifest(manifest).imageManifestMediaType(mediaType)
                .imageTag(tag)).image().imageId().imageDigest();
    }

    @Test
    void retagKeepsTheDigestAndTheMediaType() throws Exception {
        String digest = push("latest", ManifestMediaTypes.OCI_MANIFEST, 1);
        EcrRetagger retagger = new EcrRetagger(ecr, HOST);
        assertThat(retagger.find(ImageReference.of(HOST, "shop/web", "latest"))).isPresent();
        assertThat(retagger.find(ImageReference.of(HOST, "shop/web", "staging"))).isEmpty();
        assertThat(retagger.retag("shop/web", "latest", "staging")).isEqualTo(digest);
        var staged = ecr.batchGetImage(g -> g.repositoryName("shop/web").imageIds(i -> i.imageTag("staging"))
                .acceptedMediaTypes(ManifestMediaTypes.ALL)).images().get(0);
        assertThat(staged.imageId().imageDigest()).isEqualTo(digest);
        assertThat(staged.imageManifestMediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
        // Again: the tag already names this manifest, which is fine.
        assertThat(retagger.retag("shop/web", "latest", "staging")).isEqualTo(digest);
        assertThatThrownBy(() -> retagger.write(retagger.find(ImageReference.of(HOST, "shop/web", "latest"))
                .orElseThrow(), ImageReference.of(HOST, "shop/api", "staging")))
                .hasMessage("ECR promotion stays within an image's repository: " + HOST + "/shop/web:latest cannot"
                        + " become " + HOST + "/shop/api:staging");
    }

    @Test
    void aMissingTagIsRefusedAndReleaseStagesPromoteThroughEcr() throws Exception {
        EcrRetagger retagger = new EcrRetagger(ecr, HOST);
        assertThatThrownBy(() -> retagger.retag("shop/web", "nope", "prod"))
                .hasMessage(HOST + "/shop/web:nope does not exist in ECR");
        String digest = push("latest", ManifestMediaTypes.DOCKER_MANIFEST, 2);
        var file = TestFiles.valid("""
                version: 1
                registry: { ecr: { account: "123456789012", region: us-east-1, repository: shop } }
                images: { web: { context: web } }
                release: [ { stage: staging }, { stage: prod } ]
                """);
        // main's record, as its deploy leaves it: the image by digest.
        DirectoryStateStore state = new DirectoryStateStore(folder.resolve("state"));
        Instant now = Instant.now();
        state.update("web-main", stored -> EnvironmentRecord.create("web-main", "web", "main", EnvironmentKind.BRANCH,
                false, now).withStatus(EnvironmentStatus.READY, now).withImages(Map.of("web", HOST + "/shop/web@"
                + digest), now));
        ReleaseBuild build = ReleaseBuild.of(file, state, "web", Optional.empty());
        List<ReleasePromotion.Promoted> promoted = new ReleasePromotion(registry -> retagger).promote(file, "staging",
                "web", Optional.of(build));
        assertThat(promoted).singleElement().satisfies(p -> {
            assertThat(p.to()).isEqualTo(HOST + "/shop/web:staging");
            assertThat(p.digest()).isEqualTo(digest);
        });
    }
}
