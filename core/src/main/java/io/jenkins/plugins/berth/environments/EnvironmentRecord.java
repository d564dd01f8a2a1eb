package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stored state of one environment. Written as JSON with {@code schema_version} so that a newer
 * Berth can read older records and an older Berth refuses newer ones. It never holds a secret value.
 * {@code images} maps each image to the digest-pinned reference the environment runs.
 */
public record EnvironmentRecord(int schemaVersion, String name, String project, String branch,
        Optional<String> commit, EnvironmentStatus status, Optional<String> url, Instant createdAt,
        Instant updatedAt, Optional<RunRecord> lastRun, List<StackRecord> stacks, Map<String, String> images) {

    public static final int SCHEMA_VERSION = 1;

    public EnvironmentRecord {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(project, "project");
        java.util.Objects.requireNonNull(branch, "branch");
        java.util.Objects.requireNonNull(status, "status");
        java.util.Objects.requireNonNull(createdAt, "created_at");
        java.util.Objects.requireNonNull(updatedAt, "updated_at");
        stacks = stacks == null ? List.of() : List.copyOf(stacks);
        images = images == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(images));
    }

    /** This record with the digest-pinned reference of each image it runs (after a promotion or build). */
    public EnvironmentRecord withImages(Map<String, String> newImages, Instant now) {
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, status, url, createdAt, now,
                lastRun, stacks, newImages);
    }

    public EnvironmentRecord withStatus(EnvironmentStatus newStatus, Instant now) {
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, newStatus, url, createdAt, now,
                lastRun, stacks, images);
    }

    /** This record with {@code used} added, replacing earlier entries of the same stack. */
    public EnvironmentRecord withStacks(List<StackRecord> used, Instant now) {
        java.util.Map<String, StackRecord> byName = new java.util.LinkedHashMap<>();
        stacks.forEach(s -> byName.put(s.name(), s));
        used.forEach(s -> byName.put(s.name(), s));
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, status, url, createdAt, now,
                lastRun, List.copyOf(byName.values()), images);
    }

    /** This record without the stacks named, once they are destroyed. */
    public EnvironmentRecord withoutStacks(java.util.Set<String> names, Instant now) {
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, status, url, createdAt, now,
                lastRun, stacks.stream().filter(s -> !names.contains(s.name())).toList(), images);
    }

    public EnvironmentRecord withRun(RunRecord run, Optional<String> newUrl, Instant now) {
        return new EnvironmentRecord(schemaVersion, name, project, branch, commit, status, newUrl, createdAt, now,
                Optional.of(run), stacks, images);
    }
}
