package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.model.DeployFile;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StageVariablesTest {

    private static final DeployFile FILE = TestFiles.valid("""
            version: 1
            project: shop
            secrets:
              DB_PASSWORD: shop-db-password
            variables:
              GREETING: "hello ${BERTH_BRANCH}"
            infrastructure:
              - name: app
                dir: .
                outputs: { APP_URL: url, APP_TOKEN: token }
            init_stages:
              - name: test
                run: echo "$GREETING"
            stages:
              - name: smoke
                run: curl "$APP_URL"
              - name: admin
                run: 'curl -H "x-token: $APP_TOKEN" "$APP_URL"'
            """);

    private static EnvironmentRecord record(Map<String, String> outputs) {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        return EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH, false, now)
                .withDeploy(Optional.of("abc123"), Optional.empty(), now).withOutputs(outputs, now);
    }

    @Test
    void aStageGetsItsPlainValuesAndItsSecretsByCredentialOnly() throws Exception {
        StageVariables smoke = StageVariables.of(FILE, record(Map.of("APP_URL", "http://127.0.0.1:8080")), "stages",
                "smoke");
        assertThat(smoke.environment()).containsEntry("APP_URL", "http://127.0.0.1:8080")
                .containsEntry("GREETING", "hello main").containsEntry("BERTH_COMMIT", "abc123")
                .doesNotContainKey("DB_PASSWORD");
        assertThat(smoke.secrets()).singleElement().satisfies(secret -> {
            assertThat(secret.name()).isEqualTo("DB_PASSWORD");
            assertThat(secret.credentialId()).isEqualTo("shop-db-password");
        });
        assertThat(StageVariables.of(FILE, record(Map.of()), "init_stages", "test").environment())
                .containsEntry("GREETING", "hello main").doesNotContainKey("APP_URL");
    }

    @Test
    void anOutputTheRecordLacksIsNamed() throws Exception {
        StageVariables admin = StageVariables.of(FILE, record(Map.of("APP_URL", "http://x")), "stages", "admin");
        assertThat(admin.environment()).doesNotContainKey("APP_TOKEN");
        assertThat(admin.unavailable()).containsExactly("APP_TOKEN (output app.token: sensitive, or its stack has"
                + " not run)");
        assertThatThrownBy(() -> StageVariables.of(FILE, record(Map.of()), "stages", "nope"))
                .hasMessageContaining("the deploy file has no stages stage 'nope'");
        assertThatThrownBy(() -> StageVariables.of(FILE, record(Map.of()), "images", "web"))
                .hasMessageContaining("only init_stages and stages run in a Pipeline sh, not images");
    }

    @Test
    void aStageOfAWalkThatAFailureStoppedIsSkippedUnlessItIsAlways() throws Exception {
        DeployFile file = TestFiles.valid("""
                version: 1
                project: shop
                stages:
                  - { name: lint, run: npm run lint }
                  - { name: notify, run: ./notify.sh, always: true }
                """);
        Instant now = Instant.parse("2026-11-22T10:00:00Z");
        EnvironmentRecord stopped = record(Map.of()).withWalk(new EnvironmentRecord.Walk("walk-1", true), now);
        assertThat(StageVariables.forBranch(file, Optional.of(stopped), "shop", "main", Optional.empty(), "stages",
                "lint", Optional.of("walk-1")).skipped()).isTrue();
        assertThat(StageVariables.forBranch(file, Optional.of(stopped), "shop", "main", Optional.empty(), "stages",
                "notify", Optional.of("walk-1")).skipped()).isFalse();
        // Another walk (the next build) starts afresh.
        assertThat(StageVariables.forBranch(file, Optional.of(stopped), "shop", "main", Optional.empty(), "stages",
                "lint", Optional.of("walk-2")).skipped()).isFalse();
    }
}
