package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jenkins.plugins.berth.Json;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvironmentSummariesTest {

    @Test
    void eachSummaryHasTheRecordsOwnNamesAndValuesForWhereItStands() throws Exception {
        Instant now = Instant.parse("2026-12-02T10:00:00Z");
        EnvironmentRecord record = EnvironmentRecord.create("shop-feature", "shop", "feature", EnvironmentKind.BRANCH,
                false, now).withDeploy(Optional.of("abc"), Optional.of(Duration.ofDays(3)), now)
                .withStatus(EnvironmentStatus.READY, now);
        JsonNode full = Json.mapper().readTree(Json.mapper().writeValueAsString(List.of(record))).get(0);
        JsonNode summary = EnvironmentSummaries.of(List.of(record)).get(0);

        assertThat(summary.get("name").asText()).isEqualTo("shop-feature");
        assertThat(summary.get("status").asText()).isEqualTo("ready");
        assertThat(summary.get("expires_at").asText()).isEqualTo("2026-12-05T10:00:00Z");
        assertThat(summary.has("url")).as("no URL recorded, none given").isFalse();
        summary.fieldNames().forEachRemaining(field -> assertThat(summary.get(field))
                .as(field + " as berth envs --json prints it").isEqualTo(full.get(field)));
        assertThat(EnvironmentSummaries.FIELDS).as("every field is one the record has")
                .allMatch(field -> full.has(field) || field.equals("url"));
        assertThat(summary.has("stacks")).isFalse();
    }
}
