package io.jenkins.plugins.berth.teardown;

import java.util.Optional;

/**
 * A teardown told to skip its {@code teardown} stages ({@code down --skip-stages --reason TEXT}, or the
 * Environments page), for a stage that keeps failing and would otherwise block the teardown for good. The
 * reason is required and kept in the environment's run record, where {@code envs} and the page show it.
 */
public record SkipStages(String reason) {

    /** Longer than a sentence is a paste gone wrong. */
    public static final int MAX_REASON = 300;

    public SkipStages {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("skipping the teardown stages needs a reason (--reason TEXT): the"
                    + " environment's record keeps it");
        }
        reason = reason.strip();
        if (reason.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the reason for skipping the teardown stages must be one line of"
                    + " text, without control characters");
        }
        if (reason.length() > MAX_REASON) {
            throw new IllegalArgumentException("the reason for skipping the teardown stages is longer than "
                    + MAX_REASON + " characters");
        }
    }

    /**
     * What a request asks for: a skip with its reason, or none.
     *
     * @throws IllegalArgumentException for a skip without a usable reason, or a reason without a skip
     */
    public static Optional<SkipStages> of(boolean skip, Optional<String> reason) {
        if (skip) {
            return Optional.of(new SkipStages(reason.orElse(null)));
        }
        if (reason.filter(r -> !r.isBlank()).isPresent()) {
            throw new IllegalArgumentException("a reason goes with skipping the teardown stages (--skip-stages)");
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return reason;
    }
}
