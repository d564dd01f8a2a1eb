package io.jenkins.plugins.berth.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a folder says about changes it did not write itself. Which changes are untrusted: every pull request
 * (the default), or only those the branch source's own trust setting distrusts (for example a fork's pull
 * request from someone without write access). What an untrusted change's deploy gets: no credentials at
 * all (the default), or the credentials once a user with the Berth/Approve permission approves it.
 * Each value is set or inherited, like the rest of {@link DeployDefaults}.
 */
public record ChangePolicy(Optional<PullRequests> pullRequests, Optional<Untrusted> untrusted) {

    public static final ChangePolicy NONE = new ChangePolicy(Optional.empty(), Optional.empty());

    /** Which pull requests are untrusted. */
    public enum PullRequests {
        /** Every pull request, whoever opened it: the pull request's code is not yet reviewed. */
        UNTRUSTED("untrusted"),
        /** Those the branch source distrusts (its trust trait: forks, outside contributors). */
        AS_THE_SOURCE_SAYS("source");

        private final String keyword;

        PullRequests(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** What the deploy of an untrusted change gets. */
    public enum Untrusted {
        /** Deploys with no credential bound: steps that need one fail and say which. */
        WITHOUT_CREDENTIALS("without-credentials"),
        /** Waits for a user with Berth/Approve to approve the change, then deploys with the credentials. */
        APPROVAL("approval");

        private final String keyword;

        Untrusted(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /**
     * The policy a form's two fields set; blank means "not set here".
     *
     * @throws IllegalArgumentException naming the field and the words it takes
     */
    public static ChangePolicy of(String pullRequests, String untrusted) {
        return new ChangePolicy(pullRequests(pullRequests), untrusted(untrusted));
    }

    public static Optional<PullRequests> pullRequests(String text) {
        return parse(text, PullRequests.values(), PullRequests::keyword, "pull requests");
    }

    public static Optional<Untrusted> untrusted(String text) {
        return parse(text, Untrusted.values(), Untrusted::keyword, "untrusted changes");
    }

    /** These values, with what they leave unset taken from {@code outer}. */
    public ChangePolicy over(ChangePolicy outer) {
        return new ChangePolicy(pullRequests.or(outer::pullRequests), untrusted.or(outer::untrusted));
    }

    /** The pull request rule in force: untrusted unless a folder says otherwise. */
    public PullRequests pullRequestsInForce() {
        return pullRequests.orElse(PullRequests.UNTRUSTED);
    }

    /** The untrusted rule in force: no credentials unless a folder says otherwise. */
    public Untrusted untrustedInForce() {
        return untrusted.orElse(Untrusted.WITHOUT_CREDENTIALS);
    }

    private static <T> Optional<T> parse(String text, T[] values, java.util.function.Function<T, String> keyword,
            String field) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String word = text.strip().toLowerCase(Locale.ROOT);
        return Optional.of(Arrays.stream(values).filter(value -> keyword.apply(value).equals(word)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(field + " '" + text.strip() + "': write "
                        + String.join(" or ", Arrays.stream(values).map(keyword).toList())
                        + ", or leave it blank to inherit")));
    }
}
