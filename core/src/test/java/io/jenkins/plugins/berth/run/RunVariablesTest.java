package io.jenkins.plugins.berth.run;

import static io.jenkins.plugins.berth.TestFiles.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Scope;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The variables of a recorded environment, as a teardown or a rollback sees them. */
class RunVariablesTest {

    private static final String PINNED = "127.0.0.1:5000/shop/web@sha256:" + "a".repeat(64);

    private final DeployFile file = valid("""
            version: 1
            project: shop
            registry: 127.0.0.1:5000/shop
            images: { web: {} }
            stages:
              - { name: deploy, run: echo "$BERTH_IMAGE_WEB" }
            teardown:
              - { name: goodbye, run: echo "$BERTH_IMAGE_WEB $BERTH_ENV_URL" }
            """);

    private EnvironmentRecord record() {
        Instant now = Instant.parse("2026-12-01T10:00:00Z");
        return EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH, false, now)
                .withDeploy(Optional.of("c0ffee"), Optional.empty(), now)
                .withImages(Map.of("web", PINNED), now);
    }

    @Test
    void aTeardownStageOfAFileWithImagesSeesTheImagesTheEnvironmentRuns() throws Exception {
        RunVariables variables = RunVariables.forRecord(file, record(), SecretSource.of(Map.of()), SecretMasker.none());

        Map<String, String> teardown = variables.environment(Scope.Site.of(Scope.Kind.TEARDOWN), Map.of());
        assertThat(teardown).containsEntry("BERTH_IMAGE_WEB", PINNED).containsEntry("BERTH_ENVIRONMENT", "shop-main")
                .containsEntry("BERTH_COMMIT", "c0ffee");
        assertThat(variables.knownEnvironment(Scope.Site.of(Scope.Kind.DEPLOY), Map.of()))
                .containsEntry("BERTH_IMAGE_WEB", PINNED);
    }
}
