package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.MotoServer;
import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.images.registry.ManifestMediaTypes;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
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
        assertThat(retagger.exists("shop/web", "latest")).isTrue();
        assertThat(retagger.exists("shop/web", "staging")).isFalse();
        assertThat(retagger.retag("shop/web", "latest", "staging")).isEqualTo(digest);
        var staged = ecr.batchGetImage(g -> g.repositoryName("shop/web").imageIds(i -> i.imageTag("staging"))
                .acceptedMediaTypes(ManifestMediaTypes.ALL)).images().get(0);
        assertThat(staged.imageId().imageDigest()).isEqualTo(digest);
        assertThat(staged.imageManifestMediaType()).isEqualTo(ManifestMediaTypes.OCI_MANIFEST);
        // Again: the tag already names this manifest, which is fine.
        assertThat(retagger.retag("shop/web", "latest", "staging")).isEqualTo(digest);
        assertThat(retagger.pinned("shop/web", digest)).isEqualTo(HOST + "/shop/web@" + digest);
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
        List<ReleasePromotion.Promoted> promoted = new ReleasePromotion(registry -> retagger).promote(file, "staging");
        assertThat(promoted).singleElement().satisfies(p -> {
            assertThat(p.to()).isEqualTo(HOST + "/shop/web:staging");
            assertThat(p.digest()).isEqualTo(digest);
        });
    }
}
