package io.jenkins.plugins.berth.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.model.Registry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Where pushes go: a registry address's host, or for ECR the override of its endpoint, checked. */
class PushTargetsTest {

    @Test
    void aRegistryAddressPushesToItsHostWithTheBuildersOwnLogin() throws Exception {
        PushTarget target = PushTargets.addresses(host -> new RegistryClient(host, Optional.empty()))
                .of(new Registry.Address("127.0.0.1:5000/shop"), "shop/web");
        assertThat(target.host()).isEqualTo("127.0.0.1:5000");
        assertThat(target.builderLogin()).isEmpty();
    }

    @Test
    void withoutEcrLoginsAnEcrRegistryIsRefused() {
        assertThatThrownBy(() -> PushTargets.addresses(host -> new RegistryClient(host, Optional.empty()))
                .of(new Registry.Ecr("123456789012", "us-east-1", "shop"), "shop/web"))
                .hasMessage("this Berth cannot reach ECR to push to 123456789012.dkr.ecr.us-east-1.amazonaws.com/shop");
    }

    @Test
    void theEndpointOverrideIsHostAndPortHttpsOrPlainHttpOnLoopback() throws Exception {
        assertThat(PushTargets.override("127.0.0.1:5000")).isEqualTo("127.0.0.1:5000");
        assertThat(PushTargets.override("http://127.0.0.1:5000")).isEqualTo("127.0.0.1:5000");
        assertThat(PushTargets.override("http://localhost:5000/")).isEqualTo("localhost:5000");
        assertThat(PushTargets.override(" registry.example.com ")).isEqualTo("registry.example.com");
        assertThat(PushTargets.override("https://registry.example.com:8443")).isEqualTo("registry.example.com:8443");
        assertThatThrownBy(() -> PushTargets.override("http://registry.example.com"))
                .hasMessage(PushTargets.ECR_ENDPOINT + " is 'http://registry.example.com': the registry token is sent"
                        + " over HTTPS only (plain http:// only to 127.0.0.1 or localhost)");
        assertThatThrownBy(() -> PushTargets.override("https://127.0.0.1:5000"))
                .hasMessage(PushTargets.ECR_ENDPOINT + " is 'https://127.0.0.1:5000': Berth speaks plain HTTP to a"
                        + " registry on 127.0.0.1 or localhost; give 127.0.0.1:5000");
        for (String wrong : new String[] {"https://registry.example.com/v2", "ftp://registry.example.com",
                "not a host"}) {
            assertThatThrownBy(() -> PushTargets.override(wrong)).as(wrong)
                    .hasMessage(PushTargets.ECR_ENDPOINT + " is '" + wrong + "': give host[:port] or https://host[:port]");
        }
        assertThatThrownBy(() -> PushTargets.override("https://AWS:s3cret@registry.example.com"))
                .hasMessage(PushTargets.ECR_ENDPOINT + " holds an @: give host[:port] or https://host[:port], without"
                        + " credentials (Berth logs in with ECR's token)");
    }
}
