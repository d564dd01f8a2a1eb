package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What listings and reaping need of an environment, and no more: one line of the records index
 * ({@link RecordsIndex}), so that {@code berth envs}, {@code reap} and the Environments page read one small file
 * instead of every record. {@link EnvironmentRecord#summary()} makes one from a record.
 *
 * @param lastRunBy who ran the last run (a Jenkins build's link), when known
 * @param teardownStagesSkipped why the last teardown skipped the teardown stages, when it did
 * @param httpStates the state key of each stack whose state the {@code http} backend holds, by stack name (the
 *     Environments page counts each one's kept versions)
 */
public record EnvironmentSummary(String name, long revision, String project, String branch, EnvironmentKind kind,
        EnvironmentStatus status, boolean isProtected, Optional<String> url, Optional<Instant> lastDeployAt,
        Optional<Instant> expiresAt, Optional<String> lastRunBy, Optional<String> teardownStagesSkipped,
        java.util.Map<String, String> httpStates) {

    public EnvironmentSummary {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(branch, "branch");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(lastDeployAt, "lastDeployAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(lastRunBy, "lastRunBy");
        Objects.requireNonNull(teardownStagesSkipped, "teardownStagesSkipped");
        httpStates = httpStates.isEmpty() ? java.util.Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(httpStates));
    }

    /** True once torn down. */
    public boolean isGone() {
        return status == EnvironmentStatus.GONE;
    }
}
