package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployDefaultsTest {

    private static final DeployDefaults GLOBAL = DeployDefaults.of("linux", "registry.example.com", "ci-registry",
            "aws company-aws", "7d", "");

    @Test
    void blankFieldsAreInheritedAndSetOnesWin() {
        DeployDefaults folder = DeployDefaults.of("", "", "", "", "3d", "workspace");
        DeployDefaults merged = folder.over(GLOBAL);
        assertThat(merged.agentLabel()).contains("linux");
        assertThat(merged.registry()).contains("registry.example.com");
        assertThat(merged.registryCredentialsId()).contains("ci-registry");
        assertThat(merged.cloudCredentials()).extracting(CloudCredential::line).containsExactly("aws company-aws");
        assertThat(merged.ttl()).contains(Duration.ofDays(3));
        assertThat(merged.hostStates()).isFalse();
        assertThat(GLOBAL.hostStates()).isTrue();
    }

    @Test
    void aNearerRegistryDoesNotTakeAnOuterOnesCredentials() {
        DeployDefaults folder = DeployDefaults.of("", "127.0.0.1:5000", "", "file KEY=shop-key", "", "");
        DeployDefaults merged = folder.over(GLOBAL);
        assertThat(merged.registry()).contains("127.0.0.1:5000");
        assertThat(merged.registryCredentialsId()).isEmpty();
        // A folder's cloud credentials replace the outer list rather than adding to it.
        assertThat(merged.cloudCredentials()).extracting(CloudCredential::line).containsExactly("file KEY=shop-key");
    }

    @Test
    void thePipelineReadsEveryValueAsText() {
        assertThat(GLOBAL.forPipeline()).isEqualTo(Map.of("agentLabel", "linux",
                "registryUrl", "https://registry.example.com", "registryHost", "registry.example.com",
                "registryCredentialsId", "ci-registry",
                "cloudCredentials", List.of(Map.of("kind", "aws", "credentialsId", "company-aws", "variable", "")),
                "ttl", "7d"));
        assertThat(DeployDefaults.NONE.forPipeline()).isEqualTo(Map.of("agentLabel", "", "registryUrl", "",
                "registryHost", "", "registryCredentialsId", "", "cloudCredentials", List.of(), "ttl", ""));
    }

    @Test
    void kubeconfigCredentialsAreBoundAsKubeconfigInheritedAndNotGivenToUntrustedChanges() {
        DeployDefaults global = GLOBAL.withKubeconfig("ci-kubeconfig");
        DeployDefaults folder = DeployDefaults.of("", "", "", "", "3d", "");
        DeployDefaults merged = folder.over(global);
        assertThat(merged.kubeconfigCredentialsId()).contains("ci-kubeconfig");
        assertThat(merged.forPipeline().get("cloudCredentials")).isEqualTo(List.of(
                Map.of("kind", "aws", "credentialsId", "company-aws", "variable", ""),
                Map.of("kind", "file", "credentialsId", "ci-kubeconfig", "variable", "KUBECONFIG")));
        assertThat(folder.withKubeconfig("team-kube").over(global).kubeconfigCredentialsId()).contains("team-kube");
        assertThat(merged.withoutCredentials().kubeconfigCredentialsId()).isEmpty();
        assertThat(merged.withoutCredentials().forPipeline().get("cloudCredentials")).isEqualTo(List.of());
        // A folder that sets none keeps the version it had; setting one is a change its environments redeploy for.
        assertThat(GLOBAL.withKubeconfig(" ").version()).isEqualTo(GLOBAL.version());
        assertThat(global.version()).isNotEqualTo(GLOBAL.version());
        assertThatThrownBy(() -> GLOBAL.withKubeconfig("two words"))
                .hasMessage("kubeconfig credentials 'two words': write the id of a secret file credentials, one word");
    }

    @Test
    void badValuesAreRefusedWithWhatToWrite() {
        assertThatThrownBy(() -> DeployDefaults.of("", "https://registry.example.com", "", "", "", ""))
                .hasMessage("registry 'https://registry.example.com': write the host and optional port Berth logs in"
                        + " to, such as registry.example.com or 127.0.0.1:5000 (no scheme, no path)");
        assertThatThrownBy(() -> DeployDefaults.of("", "", "", "", "3 days", ""))
                .hasMessage("ttl '3 days': write a whole number and a unit, such as 30m, 12h or 3d");
        assertThatThrownBy(() -> DeployDefaults.of("", "", "", "", "", "s3"))
                .hasMessage("state backend 's3': write jenkins or workspace, or leave it blank to inherit");
        assertThatThrownBy(() -> DeployDefaults.of("", "", "ci-registry", "", "", ""))
                .hasMessage("registry credentials 'ci-registry': name the registry they are for, such as"
                        + " registry.example.com");
        assertThatThrownBy(() -> DeployDefaults.of("", "", "", "gcp key", "", ""))
                .hasMessageStartingWith("cloud credentials, line 1, column 1:");
    }

    @Test
    void nothingSetInheritsEverything() {
        assertThat(DeployDefaults.of(" ", null, "", null, "", null)).isEqualTo(DeployDefaults.NONE);
        assertThat(DeployDefaults.NONE.over(GLOBAL)).isEqualTo(GLOBAL);
        assertThat(GLOBAL.over(DeployDefaults.NONE)).isEqualTo(GLOBAL);
        assertThat(DeployDefaults.NONE.ttl()).isEqualTo(Optional.empty());
    }

    @Test
    void theVersionMovesWithEveryValueAndOnlyWithValues() {
        DeployDefaults folder = DeployDefaults.of("", "", "", "", "3d", "");
        String version = folder.over(GLOBAL).version();
        assertThat(version).matches("[0-9a-f]{12}");
        assertThat(DeployDefaults.of("", "", "", "", "3d", "").over(GLOBAL).version())
                .as("the same values again").isEqualTo(version);
        assertThat(DeployDefaults.of(" ", "", "", "", "72h", "").over(GLOBAL).version())
                .as("the same ttl written another way, a blank label").isEqualTo(version);
        List<DeployDefaults> changed = List.of(
                DeployDefaults.of("arm", "", "", "", "3d", ""),
                DeployDefaults.of("", "other.example.com", "", "", "3d", ""),
                DeployDefaults.of("", "", "", "aws other-aws", "3d", ""),
                DeployDefaults.of("", "", "", "", "4d", ""),
                DeployDefaults.of("", "", "", "", "3d", "workspace"),
                folder.withChanges(ChangePolicy.of("source", "")));
        for (DeployDefaults other : changed) {
            assertThat(other.over(GLOBAL).version()).as(other.toString()).isNotEqualTo(version);
        }
    }
}
