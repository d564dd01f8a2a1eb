package io.jenkins.plugins.berth.environments;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stored state of one environment. Written as JSON with {@code schema_version} so that a newer
 * Berth can read older records and an older Berth refuses newer ones; {@code revision} grows with
 * every write, so that two writers cannot lose each other's update ({@link StateStore#write}). It
 * never holds a secret value.
 *
 * @param url where the environment serves; none once it is gone, whatever an older record says
 * @param lastDeployAt when the last {@code up} ran
 * @param expiresAt when an unprotected environment may be reaped: the start of the last successful deploy plus
 *     the file's {@code ttl}; for an environment no deploy has succeeded on yet, its first deploy's start plus ttl
 * @param images each image and the digest-pinned reference the environment runs
 * @param outputs the stacks' outputs of the last deploy, by variable name; sensitive ones are left out
 * @param walk the deploy walked step by step (the Jenkins {@code berth} variable) that last ran a step here
 * @param builds the Packer builds of the last deploys, one per build step, with their versions and artifacts
 */
public record EnvironmentRecord(int schemaVersion, long revision, String name, String project, String branch,
        EnvironmentKind kind, Optional<String> commit, EnvironmentStatus status,
        @JsonProperty("protected") boolean isProtected, Optional<String> url, Instant createdAt, Instant updatedAt,
        Optional<Instant> lastDeployAt, Optional<Instant> expiresAt, Optional<RunRecord> lastRun,
        List<StackRecord> stacks, Map<String, String> images, Optional<BlueGreenRecord> blueGreen,
        Map<String, String> outputs, Optional<Walk> walk, List<BuildRecord> builds) {

    public static final int SCHEMA_VERSION = 1;

    /**
     * A deploy that someone walks step by step ({@code berth up --step ... --walk ID}), and whether a failed
     * step stopped it: the runner, not the walker, decides from this which later steps run.
     */
    public record Walk(String id, boolean aborted) {}

    public EnvironmentRecord {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(project, "project");
        java.util.Objects.requireNonNull(branch, "branch");
        java.util.Objects.requireNonNull(status, "status");
        java.util.Objects.requireNonNull(createdAt, "created_at");
        java.util.Objects.requireNonNull(updatedAt, "updated_at");
        kind = kind == null ? EnvironmentKind.BRANCH : kind;
        // A torn-down environment serves nothing: a link to its old address would lead elsewhere, or nowhere.
        url = url == null || status == EnvironmentStatus.GONE ? Optional.empty() : url;
        stacks = stacks == null ? List.of() : List.copyOf(stacks);
        images = images == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(images));
        blueGreen = blueGreen == null ? Optional.empty() : blueGreen;
        outputs = outputs == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(outputs));
        walk = walk == null ? Optional.empty() : walk;
        builds = builds == null ? List.of() : List.copyOf(builds);
    }

    /** A new environment: not written yet (revision 0), status {@code creating}. */
    public static EnvironmentRecord create(String name, String project, String branch, EnvironmentKind kind,
            boolean isProtected, Instant now) {
        return new EnvironmentRecord(SCHEMA_VERSION, 0, name, project, branch, kind, Optional.empty(),
                EnvironmentStatus.CREATING, isProtected, Optional.empty(), now, now, Optional.empty(), Optional.empty(),
                Optional.empty(), List.of(), Map.of(), Optional.empty(), Map.of(), Optional.empty(), List.of());
    }

    /** True once torn down. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isGone() {
        return status == EnvironmentStatus.GONE;
    }

    /** True when reaping may tear it down at {@code now}: not protected, not gone, expired. */
    public boolean isExpired(Instant now) {
        return !isProtected && !isGone() && expiresAt.map(e -> !e.isAfter(now)).orElse(false);
    }

    /** What listings and reaping read of this record (the records index keeps one per environment). */
    public EnvironmentSummary summary() {
        return new EnvironmentSummary(name, revision, project, branch, kind, status, isProtected, url, lastDeployAt,
                expiresAt, lastRun.flatMap(RunRecord::by), lastRun.flatMap(RunRecord::skipReason), httpStates());
    }

    private Map<String, String> httpStates() {
        Map<String, String> states = new LinkedHashMap<>();
        stacks.stream().filter(s -> s.backend().equals("http")).forEach(s -> states.put(s.name(), s.stateKey()));
        return states;
    }

    public EnvironmentRecord withRevision(long newRevision) {
        return change().revision(newRevision).build();
    }

    public EnvironmentRecord withStatus(EnvironmentStatus newStatus, Instant now) {
        return change().status(newStatus).updatedAt(now).build();
    }

    public EnvironmentRecord withProtected(boolean newProtected, Instant now) {
        return change().isProtected(newProtected).updatedAt(now).build();
    }

    /**
     * A deploy starting: the branch's commit and the deploy time. The expiry moves only when there is none yet
     * to keep (a first deploy, or the first since a teardown): it is {@code ttl} after now, so a failed first
     * deploy still expires. Later deploys renew it when they succeed ({@link #withRenewedExpiry}), so that
     * failing deploys do not keep an environment alive.
     */
    public EnvironmentRecord withDeploy(Optional<String> newCommit, Optional<Duration> ttl, Instant now) {
        boolean first = isGone() || expiresAt.isEmpty();
        return change().commit(newCommit).lastDeployAt(Optional.of(now))
                .expiresAt(first ? ttl.map(now::plus) : expiresAt).updatedAt(now).build();
    }

    /** A deploy that started at {@code deployStart} succeeded: the expiry is {@code ttl} after that (none without a ttl). */
    public EnvironmentRecord withRenewedExpiry(Optional<Duration> ttl, Instant deployStart, Instant now) {
        return change().expiresAt(ttl.map(deployStart::plus)).updatedAt(now).build();
    }

    public EnvironmentRecord withRun(RunRecord run, Optional<String> newUrl, Instant now) {
        return change().lastRun(Optional.of(run)).url(newUrl).updatedAt(now).build();
    }

    /** This record with {@code used} added, replacing earlier entries of the same stack. */
    public EnvironmentRecord withStacks(List<StackRecord> used, Instant now) {
        Map<String, StackRecord> byName = new LinkedHashMap<>();
        stacks.forEach(s -> byName.put(s.name(), s));
        used.forEach(s -> byName.put(s.name(), s));
        return change().stacks(List.copyOf(byName.values())).updatedAt(now).build();
    }

    /** This record with {@code used} added, replacing earlier entries of the same build step. */
    public EnvironmentRecord withBuilds(List<BuildRecord> used, Instant now) {
        Map<String, BuildRecord> byName = new LinkedHashMap<>();
        builds.forEach(b -> byName.put(b.name(), b));
        used.forEach(b -> byName.put(b.name(), b));
        return change().builds(List.copyOf(byName.values())).updatedAt(now).build();
    }

    /** This record without its builds, once their files are removed. */
    public EnvironmentRecord withoutBuilds(Instant now) {
        return change().builds(List.of()).updatedAt(now).build();
    }

    /** This record without the stacks named, once they are destroyed. */
    public EnvironmentRecord withoutStacks(Set<String> names, Instant now) {
        return change().stacks(stacks.stream().filter(s -> !names.contains(s.name())).toList()).updatedAt(now).build();
    }

    /** This record with the digest-pinned reference of each image it runs. */
    public EnvironmentRecord withImages(Map<String, String> newImages, Instant now) {
        return change().images(newImages).updatedAt(now).build();
    }

    /** This record with the stacks' outputs of the last deploy (never a sensitive one). */
    public EnvironmentRecord withOutputs(Map<String, String> newOutputs, Instant now) {
        return change().outputs(newOutputs).updatedAt(now).build();
    }

    /** This record with its colours after a blue-green deployment or rollback. */
    public EnvironmentRecord withBlueGreen(BlueGreenRecord colors, Instant now) {
        return change().blueGreen(Optional.of(colors)).updatedAt(now).build();
    }

    /** True when a failed step stopped walk {@code walkId} of this environment: its later steps are skipped. */
    public boolean walkStopped(String walkId) {
        return walk.filter(w -> w.id().equals(walkId) && w.aborted()).isPresent();
    }

    public EnvironmentRecord withWalk(Walk newWalk, Instant now) {
        return change().walk(Optional.of(newWalk)).updatedAt(now).build();
    }

    private Change change() {
        return new Change(this);
    }

    /** A copy of a record with some fields changed. */
    private static final class Change {
        private long revision;
        private Optional<String> commit;
        private EnvironmentStatus status;
        private boolean isProtected;
        private Optional<String> url;
        private Instant updatedAt;
        private Optional<Instant> lastDeployAt;
        private Optional<Instant> expiresAt;
        private Optional<RunRecord> lastRun;
        private List<StackRecord> stacks;
        private Map<String, String> images;
        private Optional<BlueGreenRecord> blueGreen;
        private Map<String, String> outputs;
        private Optional<Walk> walk;
        private List<BuildRecord> builds;
        private final EnvironmentRecord from;

        Change(EnvironmentRecord from) {
            this.from = from;
            revision = from.revision;
            commit = from.commit;
            status = from.status;
            isProtected = from.isProtected;
            url = from.url;
            updatedAt = from.updatedAt;
            lastDeployAt = from.lastDeployAt;
            expiresAt = from.expiresAt;
            lastRun = from.lastRun;
            stacks = from.stacks;
            images = from.images;
            blueGreen = from.blueGreen;
            outputs = from.outputs;
            walk = from.walk;
            builds = from.builds;
        }

        Change builds(List<BuildRecord> value) {
            builds = value;
            return this;
        }

        Change walk(Optional<Walk> value) {
            walk = value;
            return this;
        }

        Change outputs(Map<String, String> value) {
            outputs = value;
            return this;
        }

        Change blueGreen(Optional<BlueGreenRecord> value) {
            blueGreen = value;
            return this;
        }

        Change revision(long value) {
            revision = value;
            return this;
        }

        Change commit(Optional<String> value) {
            commit = value;
            return this;
        }

        Change status(EnvironmentStatus value) {
            status = value;
            return this;
        }

        Change isProtected(boolean value) {
            isProtected = value;
            return this;
        }

        Change url(Optional<String> value) {
            url = value;
            return this;
        }

        Change updatedAt(Instant value) {
            updatedAt = value;
            return this;
        }

        Change lastDeployAt(Optional<Instant> value) {
            lastDeployAt = value;
            return this;
        }

        Change expiresAt(Optional<Instant> value) {
            expiresAt = value;
            return this;
        }

        Change lastRun(Optional<RunRecord> value) {
            lastRun = value;
            return this;
        }

        Change stacks(List<StackRecord> value) {
            stacks = value;
            return this;
        }

        Change images(Map<String, String> value) {
            images = value;
            return this;
        }

        EnvironmentRecord build() {
            return new EnvironmentRecord(from.schemaVersion, revision, from.name, from.project, from.branch, from.kind,
                    commit, status, isProtected, url, from.createdAt, updatedAt, lastDeployAt, expiresAt, lastRun,
                    stacks, images, blueGreen, outputs, walk, builds);
        }
    }
}
