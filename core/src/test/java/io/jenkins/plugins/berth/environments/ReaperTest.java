package io.jenkins.plugins.berth.environments;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReaperTest {
    private static final Instant DEPLOYED = Instant.parse("2026-11-20T10:00:00Z");

    private static EnvironmentRecord environment(String name, Optional<Duration> ttl, boolean isProtected,
            EnvironmentKind kind) {
        return EnvironmentRecord.create(name, "shop", name, kind, isProtected, DEPLOYED)
                .withDeploy(Optional.of("abc"), ttl, DEPLOYED).withStatus(EnvironmentStatus.READY, DEPLOYED);
    }

    @Test
    void onlyExpiredUnprotectedLiveEnvironmentsAreReaped() {
        Instant now = DEPLOYED.plus(Duration.ofDays(2));
        List<Reaper.Decision> decisions = Reaper.decide(summaries(
                environment("old", Optional.of(Duration.ofDays(1)), false, EnvironmentKind.BRANCH),
                environment("fresh", Optional.of(Duration.ofDays(3)), false, EnvironmentKind.PULL_REQUEST),
                environment("pinned", Optional.of(Duration.ofDays(1)), true, EnvironmentKind.BRANCH),
                environment("prod", Optional.of(Duration.ofDays(1)), true, EnvironmentKind.RELEASE_STAGE),
                environment("forever", Optional.empty(), false, EnvironmentKind.BRANCH),
                environment("done", Optional.of(Duration.ofDays(1)), false, EnvironmentKind.BRANCH)
                        .withStatus(EnvironmentStatus.GONE, now),
                environment("exactly", Optional.of(Duration.ofDays(2)), false, EnvironmentKind.BRANCH)), now);
        assertThat(decisions).extracting(d -> d.environment().name() + " " + d.reap() + " " + d.reason()).containsExactly(
                "old true expired 2026-11-21T10:00:00Z",
                "fresh false expires 2026-11-23T10:00:00Z",
                "pinned false protected",
                "prod false a release stage (protected)",
                "forever false no ttl",
                "done false already gone",
                "exactly true expired 2026-11-22T10:00:00Z");
    }

    @Test
    void anEnvironmentWhoseBranchIsGoneIsTornDownUnlessPinned() {
        Instant now = DEPLOYED.plus(Duration.ofHours(1));
        List<Reaper.Decision> decisions = Reaper.decide(summaries(
                environment("main", Optional.of(Duration.ofDays(7)), false, EnvironmentKind.BRANCH),
                environment("feature/gone", Optional.of(Duration.ofDays(7)), false, EnvironmentKind.BRANCH),
                environment("PR-4", Optional.empty(), false, EnvironmentKind.PULL_REQUEST),
                environment("demo", Optional.empty(), true, EnvironmentKind.BRANCH),
                environment("production", Optional.empty(), true, EnvironmentKind.RELEASE_STAGE),
                environment("old", Optional.of(Duration.ofMinutes(5)), false, EnvironmentKind.BRANCH)),
                Optional.of(java.util.Set.of("main", "old")), now);
        assertThat(decisions).extracting(d -> d.environment().name() + " " + d.cause().map(Enum::name).orElse("-")
                + " " + d.reason()).containsExactly(
                "main - expires 2026-11-27T10:00:00Z",
                "feature/gone BRANCH_GONE branch feature/gone is gone",
                "PR-4 BRANCH_GONE branch PR-4 is gone",
                "demo - pinned, kept though branch demo is gone",
                "production - a release stage (protected)",
                "old EXPIRED expired 2026-11-20T10:05:00Z");
        // Without knowing the live branches, only expiry counts.
        assertThat(Reaper.decide(decisions.get(1).environment(), now).reap()).isFalse();
    }

    @Test
    void aSuccessfulDeployRenewsTheExpiryAFailedOneDoesNot() {
        Optional<Duration> ttl = Optional.of(Duration.ofHours(3));
        EnvironmentRecord first = environment("env", ttl, false, EnvironmentKind.BRANCH);
        Instant later = DEPLOYED.plus(Duration.ofHours(2));
        EnvironmentRecord failed = first.withDeploy(Optional.of("def"), ttl, later)
                .withStatus(EnvironmentStatus.FAILED, later);
        EnvironmentRecord renewed = first.withDeploy(Optional.of("def"), ttl, later)
                .withRenewedExpiry(ttl, later, later.plusSeconds(60)).withStatus(EnvironmentStatus.READY, later);
        assertThat(renewed.expiresAt()).hasValue(later.plus(Duration.ofHours(3)));
        assertThat(renewed.lastDeployAt()).hasValue(later);
        assertThat(failed.lastDeployAt()).hasValue(later);
        assertThat(Reaper.decide(first, DEPLOYED.plus(Duration.ofHours(4))).reap()).isTrue();
        assertThat(Reaper.decide(failed, DEPLOYED.plus(Duration.ofHours(4))).reap()).isTrue();
        assertThat(Reaper.decide(renewed, DEPLOYED.plus(Duration.ofHours(4))).reap()).isFalse();
    }

    @Test
    void pullRequestBranchesAreRecognised() {
        assertThat(List.of("PR-12", "pull/7/head", "refs/pull/3/merge", "merge-requests/9"))
                .allMatch(b -> EnvironmentKind.ofBranch(b) == EnvironmentKind.PULL_REQUEST);
        assertThat(List.of("main", "feature/pr-thing", "PR-x")).allMatch(b -> EnvironmentKind.ofBranch(b) == EnvironmentKind.BRANCH);
    }

    /** What listings and reaping read of each record. */
    private static List<io.jenkins.plugins.berth.environments.EnvironmentSummary> summaries(
            io.jenkins.plugins.berth.environments.EnvironmentRecord... records) {
        return java.util.Arrays.stream(records).map(io.jenkins.plugins.berth.environments.EnvironmentRecord::summary)
                .toList();
    }
}
