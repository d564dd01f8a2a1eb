package io.jenkins.plugins.berth.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RunnerEnvironmentTest {
    /** A known state password with URL, regex and shell characters. */
    static final String PASSWORD = "s3cr3t-state-pw-4711/+&=?'\"$HOME;`id`";

    private static final RunnerEnvironment JENKINS = new RunnerEnvironment(Map.of(
            "PATH", "/usr/bin",
            "BERTH_STATE_URL", "https://ci.example.com/berth-state/",
            "TF_HTTP_PASSWORD", PASSWORD,
            "TF_HTTP_USERNAME", "berth",
            "TF_HTTP_ADDRESS", "https://ci.example.com/berth-state/shop/app/shop-main",
            "TF_HTTP_CLIENT_PRIVATE_KEY_PEM", "-----BEGIN PRIVATE KEY-----\nMIIEvQ-key\n-----END PRIVATE KEY-----",
            "tf_http_lock_address", "https://ci.example.com/lower-case/names-are-not-passed-on-either",
            "BERTH_SECRET_DB", "a deploy file's secret"));

    @Test
    void everyProcessButTerraformsGetsTheEnvironmentWithoutTheStateCredentials() {
        assertThat(JENKINS.forProcess(false)).containsOnlyKeys("PATH", "BERTH_SECRET_DB");
        assertThat(JENKINS.forProcess(true)).isEqualTo(JENKINS.variables());
    }

    @Test
    void theStateCredentialsAreBerthStateUrlAndEveryTfHttpVariable() {
        assertThat(RunnerEnvironment.isStateCredential("BERTH_STATE_URL")).isTrue();
        assertThat(RunnerEnvironment.isStateCredential("TF_HTTP_UNLOCK_ADDRESS")).isTrue();
        assertThat(RunnerEnvironment.isStateCredential("TF_HTTP_RETRY_MAX")).isTrue();
        assertThat(RunnerEnvironment.isStateCredential("BERTH_STATE")).isFalse();
        assertThat(RunnerEnvironment.isStateCredential("TF_VAR_password")).isFalse();
        assertThat(RunnerEnvironment.isStateCredential("PATH")).isFalse();
    }

    @Test
    void theSecretsAreThePasswordTheClientKeyAndPasswordsInAddresses() {
        assertThat(JENKINS.secrets()).containsExactlyInAnyOrder(PASSWORD,
                "-----BEGIN PRIVATE KEY-----\nMIIEvQ-key\n-----END PRIVATE KEY-----");
        String encoded = java.net.URLEncoder.encode(PASSWORD, java.nio.charset.StandardCharsets.UTF_8);
        RunnerEnvironment inUrl = new RunnerEnvironment(Map.of(
                "BERTH_STATE_URL", "https://berth:" + encoded + "@ci.example.com/berth-state/",
                "TF_HTTP_LOCK_ADDRESS", "https://tok3n-only@ci.example.com/a@b",
                "TF_HTTP_UNLOCK_ADDRESS", "https://ci.example.com/no-user-info@here"));
        assertThat(inUrl.secrets()).containsExactlyInAnyOrder(encoded, PASSWORD, "tok3n-only");
        assertThat(new RunnerEnvironment(Map.of("TF_HTTP_PASSWORD", "", "PATH", "/bin")).secrets()).isEmpty();
    }

    @Test
    void itsTextNamesNoValue() {
        assertThat(JENKINS.toString()).contains("TF_HTTP_PASSWORD").doesNotContain(PASSWORD).doesNotContain("s3cr3t");
    }

    @Test
    void moreVariablesAreAddedAndReplaceTheirNamesakes() {
        RunnerEnvironment more = JENKINS.with(Map.of("PATH", "/opt/bin", "AWS_REGION", "eu-west-1"));
        assertThat(more.get("PATH")).hasValue("/opt/bin");
        assertThat(more.get("AWS_REGION")).hasValue("eu-west-1");
        assertThat(more.get("TF_HTTP_PASSWORD")).hasValue(PASSWORD);
        assertThat(JENKINS.get("AWS_REGION")).isEmpty();
    }
}
