package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which environments to tear down, and why. An environment is torn down when its branch or pull
 * request is gone, or when its expiry (the last deploy plus the file's {@code ttl}) has passed. Never
 * one already gone, nor a protected (pinned) one: a pinned environment outlives its branch until
 * someone tears it down by hand. Release stages are protected from their first promotion on and
 * belong to no branch; an environment without a ttl never expires.
 */
public final class Reaper {

    /** Why an environment is torn down. */
    public enum Cause {
        BRANCH_GONE, EXPIRED
    }

    /**
     * The verdict on one environment: torn down for {@code cause} (empty: kept), with the reason in words. It
     * holds the environment's summary: what listings and reaping read ({@link RecordsIndex}).
     */
    public record Decision(EnvironmentSummary environment, Optional<Cause> cause, String reason) {
        public boolean reap() {
            return cause.isPresent();
        }

        static Decision keep(EnvironmentSummary environment, String reason) {
            return new Decision(environment, Optional.empty(), reason);
        }

        static Decision reap(EnvironmentSummary environment, Cause cause, String reason) {
            return new Decision(environment, Optional.of(cause), reason);
        }
    }

    private Reaper() {}

    /** Expiry only: for the CLI, which does not know which branches still exist. */
    public static List<Decision> decide(List<EnvironmentSummary> environments, Instant now) {
        return decide(environments, Optional.empty(), now);
    }

    /**
     * @param liveBranches the branches and pull requests that still exist, as their environments
     *     record them (a Berth folder knows them after indexing); empty when unknown
     */
    public static List<Decision> decide(List<EnvironmentSummary> environments, Optional<Set<String>> liveBranches,
            Instant now) {
        List<Decision> decisions = new ArrayList<>(environments.size());
        for (EnvironmentSummary environment : environments) {
            decisions.add(decide(environment, liveBranches, now));
        }
        return decisions;
    }

    public static Decision decide(EnvironmentSummary environment, Instant now) {
        return decide(environment, Optional.empty(), now);
    }

    public static Decision decide(EnvironmentRecord environment, Instant now) {
        return decide(environment.summary(), Optional.empty(), now);
    }

    public static Decision decide(EnvironmentRecord environment, Optional<Set<String>> liveBranches, Instant now) {
        return decide(environment.summary(), liveBranches, now);
    }

    /** True when the live branches are known and the environment's branch is not among them; never for a release stage. */
    public static boolean branchGone(EnvironmentSummary environment, Optional<Set<String>> liveBranches) {
        return environment.kind() != EnvironmentKind.RELEASE_STAGE
                && liveBranches.map(live -> !live.contains(environment.branch())).orElse(false);
    }

    public static Decision decide(EnvironmentSummary environment, Optional<Set<String>> liveBranches, Instant now) {
        if (environment.isGone()) {
            return Decision.keep(environment, "already gone");
        }
        boolean branchGone = branchGone(environment, liveBranches);
        if (environment.isProtected()) {
            return Decision.keep(environment, environment.kind() == EnvironmentKind.RELEASE_STAGE
                    ? "a release stage (protected)"
                    : branchGone ? "pinned, kept though branch " + environment.branch() + " is gone" : "protected");
        }
        if (branchGone) {
            return Decision.reap(environment, Cause.BRANCH_GONE, "branch " + environment.branch() + " is gone");
        }
        if (environment.expiresAt().isEmpty()) {
            return Decision.keep(environment, "no ttl");
        }
        Instant expiry = environment.expiresAt().get();
        return expiry.isAfter(now) ? Decision.keep(environment, "expires " + expiry)
                : Decision.reap(environment, Cause.EXPIRED, "expired " + expiry);
    }
}
