package io.jenkins.plugins.berth.environments;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which environments reaping tears down: those not gone, not protected (or pinned), whose expiry (the
 * last deploy plus the file's {@code ttl}) has passed. Release stages are protected from their first
 * promotion on; an environment without a ttl never expires.
 */
public final class Reaper {

    /** The verdict on one environment, and why. */
    public record Decision(EnvironmentRecord environment, boolean reap, String reason) {}

    private Reaper() {}

    public static List<Decision> decide(List<EnvironmentRecord> environments, Instant now) {
        List<Decision> decisions = new ArrayList<>(environments.size());
        for (EnvironmentRecord environment : environments) {
            decisions.add(decide(environment, now));
        }
        return decisions;
    }

    public static Decision decide(EnvironmentRecord environment, Instant now) {
        if (environment.isGone()) {
            return new Decision(environment, false, "already gone");
        }
        if (environment.isProtected()) {
            return new Decision(environment, false, environment.kind() == EnvironmentKind.RELEASE_STAGE
                    ? "a release stage (protected)" : "protected");
        }
        if (environment.expiresAt().isEmpty()) {
            return new Decision(environment, false, "no ttl");
        }
        Instant expiry = environment.expiresAt().get();
        return expiry.isAfter(now) ? new Decision(environment, false, "expires " + expiry)
                : new Decision(environment, true, "expired " + expiry);
    }
}
