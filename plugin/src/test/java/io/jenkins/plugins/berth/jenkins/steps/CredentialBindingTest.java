package io.jenkins.plugins.berth.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.model.DeployFiles;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a deploy, and the teardown job from a kept deploy file, bind: one binding per credential. */
class CredentialBindingTest {

    @Test
    void eachCredentialIsBoundOnceUnderTheNameTheRunnerReads() throws Exception {
        String yaml = """
                version: 1
                project: shop
                secrets:
                  DB_PASSWORD: shop-db
                  DB_PASSWORD_AGAIN: shop-db
                  API_TOKEN: shop.api-token
                stages:
                  - { name: hello, run: "true" }
                """;
        assertThat(CredentialBinding.forDeployFile(DeployFiles.parse("berth.yml",
                yaml.getBytes(StandardCharsets.UTF_8), Optional.empty()))).containsExactly(
                Map.of("credentialsId", "shop-db", "variable", "BERTH_SECRET_SHOP_DB"),
                Map.of("credentialsId", "shop.api-token", "variable", "BERTH_SECRET_SHOP_API_TOKEN"));
    }
}
