package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryLoginsTest {

    private static RegistryLogins of(Map<String, String> variables) {
        return RegistryLogins.of(new RunnerEnvironment(variables));
    }

    @Test
    void theFilesAndTheReleaseStagesLoginsAreFoundByHostWhateverTheFormOfTheHostVariable() throws Exception {
        RegistryLogins logins = of(Map.of("BERTH_REGISTRY_HOST", "https://Registry.Example.com/",
                "BERTH_REGISTRY_USERNAME", "ci", "BERTH_REGISTRY_PASSWORD", "pw1",
                "BERTH_RELEASE_REGISTRY_HOST", "prod.example.com:5443/live",
                "BERTH_RELEASE_REGISTRY_USERNAME", "rel", "BERTH_RELEASE_REGISTRY_PASSWORD", "pw2"));
        logins.check();
        assertThat(logins.forHost("registry.example.com")).contains(new Credentials("ci", "pw1"));
        assertThat(logins.forHost("prod.example.com:5443")).contains(new Credentials("rel", "pw2"));
        assertThat(logins.forHost("prod.example.com")).isEmpty();
        assertThat(logins.toString()).doesNotContain("pw1", "pw2");
    }

    @Test
    void theReleaseLoginWinsForTheSameHost() throws Exception {
        RegistryLogins logins = of(Map.of("BERTH_REGISTRY_HOST", "r.example.com", "BERTH_REGISTRY_USERNAME", "ci",
                "BERTH_REGISTRY_PASSWORD", "pw1", "BERTH_RELEASE_REGISTRY_HOST", "r.example.com",
                "BERTH_RELEASE_REGISTRY_USERNAME", "rel", "BERTH_RELEASE_REGISTRY_PASSWORD", "pw2"));
        assertThat(logins.forHost("r.example.com")).contains(new Credentials("rel", "pw2"));
    }

    @Test
    void noVariablesNoLogin() throws Exception {
        RegistryLogins logins = of(Map.of("BERTH_REGISTRY_HOST", ""));
        logins.check();
        assertThat(logins.forHost("r.example.com")).isEmpty();
    }

    @Test
    void badVariablesAreReportedByNameNeverByValue() {
        assertThatThrownBy(() -> of(Map.of("BERTH_REGISTRY_USERNAME", "ci", "BERTH_REGISTRY_PASSWORD", "sekrit"))
                .check()).isInstanceOf(BerthException.class).hasMessageContaining(
                        "BERTH_REGISTRY_USERNAME and BERTH_REGISTRY_PASSWORD are set but BERTH_REGISTRY_HOST is not")
                .message().doesNotContain("sekrit");
        assertThatThrownBy(() -> of(Map.of("BERTH_REGISTRY_HOST", "r.example.com", "BERTH_REGISTRY_USERNAME", "ci"))
                .check()).hasMessageContaining("BERTH_REGISTRY_HOST is set but BERTH_REGISTRY_PASSWORD is empty");
        assertThatThrownBy(() -> of(Map.of("BERTH_RELEASE_REGISTRY_HOST", "https://u:sekrit@r.example.com",
                "BERTH_RELEASE_REGISTRY_USERNAME", "ci", "BERTH_RELEASE_REGISTRY_PASSWORD", "pw")).check())
                .hasMessageContaining("BERTH_RELEASE_REGISTRY_HOST holds an @").message().doesNotContain("sekrit");
        assertThatThrownBy(() -> of(Map.of("BERTH_REGISTRY_HOST", "http://r.example.com", "BERTH_REGISTRY_USERNAME",
                "ci", "BERTH_REGISTRY_PASSWORD", "pw")).check())
                .hasMessageContaining("the registry password is sent over HTTPS only");
        RegistryLogins loopback = of(Map.of("BERTH_REGISTRY_HOST", "http://127.0.0.1:5000",
                "BERTH_REGISTRY_USERNAME", "ci", "BERTH_REGISTRY_PASSWORD", "pw"));
        assertThat(loopback.forHost("127.0.0.1:5000")).isEqualTo(Optional.of(new Credentials("ci", "pw")));
    }

    @Test
    void noProcessInheritsTheLoginsAndThePasswordsAreMasked() {
        RunnerEnvironment environment = new RunnerEnvironment(Map.of("BERTH_REGISTRY_HOST", "r.example.com",
                "BERTH_REGISTRY_USERNAME", "ci", "BERTH_REGISTRY_PASSWORD", "pw1",
                "BERTH_RELEASE_REGISTRY_USERNAME", "rel", "BERTH_RELEASE_REGISTRY_PASSWORD", "pw2", "PATH", "/bin"));
        assertThat(environment.forProcess(false)).containsOnlyKeys("BERTH_REGISTRY_HOST", "PATH");
        assertThat(environment.forProcess(true)).containsOnlyKeys("BERTH_REGISTRY_HOST", "PATH");
        assertThat(environment.secrets()).containsExactlyInAnyOrder("pw1", "pw2");
    }
}
