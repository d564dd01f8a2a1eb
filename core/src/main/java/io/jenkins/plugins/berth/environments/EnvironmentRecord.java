package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The stored state of one environment. Written as JSON with {@code schema_version} so that a newer
 * Berth can read older records and an older Berth refuses newer ones. It never holds a secret value.
 */
public record EnvironmentRecord(int schemaVersion, String name, String project, String branch,
        Optional<String> commit, EnvironmentStatus status, Optional<String> url, Instant createdAt,
        Instant updatedAt, Optional<RunRecord> lastRun, List<StackRecord> stacks) {

    public static final int SCHEMA_VERSION = 1;

    public EnvironmentRecord {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(project, "project");
        java.util.Objects.requireNonNull(branch, "branch");
        java.util.Objects.requireNonNull(status, "status");
        java.util.Objects.requireNonNull(createdAt, "created_at");
        java.util.Objects.requireNonNull(updatedAt, "updated_at");
        stacks = stacks == null ? List.of() : List.copyOf(stacks);
    }

    public EnvironmentRecord withStatus(EnvironmentStatus newStatus, Instant now) {
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, newStatus, url, createdAt, now,
                lastRun, stacks);
    }

    /** This record with {@code used} added, replacing earlier entries of the same stack. */
    public EnvironmentRecord withStacks(List<StackRecord> used, Instant now) {
        java.util.Map<String, StackRecord> byName = new java.util.LinkedHashMap<>();
        stacks.forEach(s -> byName.put(s.name(), s));
        used.forEach(s -> byName.put(s.name(), s));
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, status, url, createdAt, now,
                lastRun, List.copyOf(byName.values()));
    }

    /** This record without the stacks named, once they are destroyed. */
    public EnvironmentRecord withoutStacks(java.util.Set<String> names, Instant now) {
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, status, url, createdAt, now,
                lastRun, stacks.stream().filter(s -> !names.contains(s.name())).toList());
    }

    public EnvironmentRecord withRun(RunRecord run, Optional<String> newUrl, Instant now) {
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, status, newUrl, createdAt, now,
                Optional.of(run), stacks);
    }
}
