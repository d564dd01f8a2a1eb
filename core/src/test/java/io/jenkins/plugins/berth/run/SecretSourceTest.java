package io.jenkins.plugins.berth.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SecretSourceTest {

    @Test
    void aCredentialIdNamesItsEnvironmentVariable() {
        assertThat(SecretSource.environmentName("shop-db.password")).isEqualTo("BERTH_SECRET_SHOP_DB_PASSWORD");
        assertThat(SecretSource.environmentName("token")).isEqualTo("BERTH_SECRET_TOKEN");
    }

    @Test
    void fromEnvironmentReadsOnlyTheBerthSecretVariables() {
        SecretSource source = SecretSource.fromEnvironment(Map.of("BERTH_SECRET_SHOP_DB", "pw-1", "shop-db", "no"));
        assertThat(source.value("shop-db")).contains("pw-1");
        assertThat(source.value("other")).isEqualTo(Optional.empty());
    }
}
