package io.jenkins.plugins.berth.environments;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentRecordTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");
    private static final Optional<Duration> DAY = Optional.of(Duration.ofDays(1));

    private static Instant hours(int hours) {
        return T0.plus(Duration.ofHours(hours));
    }

    /** The first deploy sets the expiry even before it succeeds: a failed first deploy is reaped too. */
    @Test
    void onlyAFirstDeployOrASuccessfulOneMovesTheExpiry() {
        EnvironmentRecord first = EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH, false, T0)
                .withDeploy(Optional.of("a"), DAY, T0);
        assertThat(first.expiresAt()).contains(T0.plus(Duration.ofDays(1)));

        EnvironmentRecord failedRedeploy = first.withStatus(EnvironmentStatus.FAILED, hours(1))
                .withDeploy(Optional.of("b"), DAY, hours(2));
        assertThat(failedRedeploy.lastDeployAt()).contains(hours(2));
        assertThat(failedRedeploy.expiresAt()).contains(T0.plus(Duration.ofDays(1)));

        EnvironmentRecord succeeded = failedRedeploy.withRenewedExpiry(DAY, hours(2), hours(3));
        assertThat(succeeded.expiresAt()).contains(hours(2).plus(Duration.ofDays(1)));
        assertThat(succeeded.withRenewedExpiry(Optional.empty(), hours(4), hours(5)).expiresAt()).isEmpty();

        // Torn down, then deployed again: a first deploy once more, whatever the old expiry said.
        EnvironmentRecord again = succeeded.withStatus(EnvironmentStatus.GONE, hours(40))
                .withDeploy(Optional.of("c"), DAY, hours(50));
        assertThat(again.expiresAt()).contains(hours(50).plus(Duration.ofDays(1)));
    }

    @Test
    void aGoneEnvironmentHasNoUrlAsWrittenNorAsAnOlderBerthWroteIt() throws Exception {
        EnvironmentRecord ready = EnvironmentRecord.create("shop-main", "shop", "main", EnvironmentKind.BRANCH, false, T0)
                .withRun(new RunRecord("up", T0, Optional.of(T0), Optional.of(StepStatus.SUCCEEDED),
                        java.util.List.of(), Optional.empty()), Optional.of("https://shop-main.example.com"), T0)
                .withStatus(EnvironmentStatus.READY, T0);
        assertThat(ready.url()).contains("https://shop-main.example.com");
        assertThat(ready.withStatus(EnvironmentStatus.TEARING_DOWN, hours(1)).url()).isPresent();

        EnvironmentRecord gone = ready.withStatus(EnvironmentStatus.GONE, hours(1));
        assertThat(gone.url()).isEmpty();
        assertThat(Json.mapper().writeValueAsString(gone)).doesNotContain("\"url\"");

        String older = Json.mapper().writeValueAsString(ready).replace("\"ready\"", "\"gone\"");
        assertThat(older).contains("\"url\"");
        EnvironmentRecord read = DirectoryStateStore.parse("shop-main.json", older.getBytes(StandardCharsets.UTF_8));
        assertThat(read.isGone()).isTrue();
        assertThat(read.url()).isEmpty();
    }
}
