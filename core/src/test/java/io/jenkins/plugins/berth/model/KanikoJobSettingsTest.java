package io.jenkins.plugins.berth.model;

import static io.jenkins.plugins.berth.TestFiles.problems;
import static io.jenkins.plugins.berth.TestFiles.valid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code builder: kaniko-job} and its {@code kaniko_job} block as the deploy file reader takes them. */
class KanikoJobSettingsTest {

    private static final String IMAGES = "version: 1\nregistry: registry.example.com/shop\nimages:\n  web: {}\n";

    @Test
    void theBlockIsReadWithItsDefaults() {
        DeployFile file = valid("builder: kaniko-job\n" + IMAGES + "kaniko_job:\n  namespace: builds\n"
                + "  kubeconfig: ~/.kube/ci.yaml\n  storage: 500Mi\n  storage_class: fast.ssd\n  timeout: 10m\n");
        assertThat(file.builder()).isEqualTo(ImageBuilder.KANIKO_JOB);
        assertThat(file.builder().keyword()).isEqualTo("kaniko-job");
        assertThat(file.kanikoJob()).isEqualTo(new KanikoJobSettings(Optional.of("builds"),
                Optional.of("~/.kube/ci.yaml"), KanikoJobSettings.DEFAULT_EXECUTOR,
                KanikoJobSettings.DEFAULT_CONTEXT_IMAGE, "500Mi", Optional.of("fast.ssd"), Duration.ofMinutes(10)));
        assertThat(valid("builder: kaniko-job\n" + IMAGES).kanikoJob()).isEqualTo(KanikoJobSettings.DEFAULT);
        assertThat(valid("builder: kaniko-job\n" + IMAGES + "kaniko_job:\n  executor: registry.local/kaniko:v9\n"
                + "  context_image: busybox:1.37\n").kanikoJob())
                .satisfies(s -> assertThat(s.executor()).isEqualTo("registry.local/kaniko:v9"))
                .satisfies(s -> assertThat(s.contextImage()).isEqualTo("busybox:1.37"));
    }

    @Test
    void aKubeconfigRelativeToTheRepositoryIsRefused() {
        assertThat(problems("builder: kaniko-job\n" + IMAGES + "kaniko_job:\n  kubeconfig: ci/kube.yaml\n"))
                .singleElement().satisfies(p -> assertThat(p).endsWith("'kaniko_job.kubeconfig' must be an absolute"
                        + " path or under ~/, not 'ci/kube.yaml': a kubeconfig in the repository could be changed by the"
                        + " code it builds (in Jenkins, give the folder's kubeconfig credentials)"));
        assertThat(valid("builder: kaniko-job\n" + IMAGES + "kaniko_job:\n  kubeconfig: /etc/berth/kube.yaml\n")
                .kanikoJob().kubeconfig()).contains("/etc/berth/kube.yaml");
    }

    @Test
    void badValuesAreReportedAtTheirPositions() {
        assertThat(problems("builder: kaniko-job\n" + IMAGES + "kaniko_job:\n  namespace: Builds\n  storage: 1 GB\n"
                + "  storage_class: Fast_SSD\n  timeout: 0\n  executor: \"a b\"\n  colour: blue\n")).containsExactly(
                "berth.yml:7:14: 'kaniko_job.namespace' must be a Kubernetes namespace name: lowercase letters,"
                        + " digits and '-', at most 63 characters, not 'Builds'",
                "berth.yml:8:12: 'kaniko_job.storage' is the size of the build context's claim, a Kubernetes"
                        + " quantity such as 1Gi or 500Mi, not '1 GB'",
                "berth.yml:9:18: 'kaniko_job.storage_class' must be a storage class name: lowercase letters, digits,"
                        + " '-' and '.', not 'Fast_SSD'",
                "berth.yml:10:12: 'kaniko_job.timeout' must be longer than 0s",
                "berth.yml:11:13: 'kaniko_job.executor' must be an image reference such as"
                        + " gcr.io/kaniko-project/executor:v1.23.2, one word, not 'a b'",
                "berth.yml:12:3: unknown key 'colour' in 'kaniko_job' (known keys: namespace, kubeconfig, executor,"
                        + " context_image, storage, storage_class, timeout)");
    }

    @Test
    void theBlockNeedsTheBuilder() {
        assertThat(problems("builder: kaniko\n" + IMAGES + "kaniko_job:\n  namespace: builds\n")).containsExactly(
                "berth.yml:6:1: 'kaniko_job' is only used with 'builder: kaniko-job'; add 'builder: kaniko-job' or"
                        + " remove 'kaniko_job'");
    }

    @Test
    void kanikoJobBuildsOnePlatform() {
        assertThat(problems("builder: kaniko-job\n" + "version: 1\nregistry: registry.example.com/shop\nimages:\n"
                + "  web:\n    platforms: [linux/amd64, linux/arm64]\n")).singleElement().asString()
                .contains("builder 'kaniko-job' builds one platform per image");
    }
}
