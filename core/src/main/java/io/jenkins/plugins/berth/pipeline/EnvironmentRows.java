package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentSummary;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.Reaper;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an Environments page shows of each environment, worked out apart from any page: its branch,
 * status, URL, last deploy and who ran it, expiry, pin, what reaping will do with it, and why its teardown
 * skipped the teardown stages if it did. Links come
 * from stack outputs and run records, so only {@code http}/{@code https} addresses are offered as
 * links; anything else is shown as text.
 */
public final class EnvironmentRows {

    /**
     * One environment on the page.
     *
     * @param teardownStagesSkipped why its last teardown skipped the teardown stages, when it did
     */
    public record Row(String name, String project, String branch, EnvironmentKind kind, EnvironmentStatus status,
            Optional<String> url, Optional<Instant> lastDeployAt, Optional<String> lastRunBy,
            Optional<String> lastRunLink, Optional<Instant> expiresAt, boolean pinned, boolean branchGone,
            String verdict, Optional<String> teardownStagesSkipped) {}

    private EnvironmentRows() {}

    /**
     * Live environments first (release stages, then by project and name), gone ones last.
     *
     * @param liveBranches the branches that still exist, when known
     */
    public static List<Row> of(List<EnvironmentSummary> records, Optional<Set<String>> liveBranches, Instant now) {
        return records.stream()
                .sorted(Comparator.comparing(EnvironmentSummary::isGone)
                        .thenComparing(r -> r.kind() != EnvironmentKind.RELEASE_STAGE)
                        .thenComparing(EnvironmentSummary::project).thenComparing(EnvironmentSummary::name))
                .map(record -> row(record, liveBranches, now)).toList();
    }

    private static Row row(EnvironmentSummary record, Optional<Set<String>> liveBranches, Instant now) {
        Reaper.Decision decision = Reaper.decide(record, liveBranches, now);
        Optional<String> by = record.lastRunBy();
        boolean branchGone = Reaper.branchGone(record, liveBranches);
        return new Row(record.name(), record.project(), record.branch(), record.kind(), record.status(),
                record.url(), record.lastDeployAt(), by, by.flatMap(EnvironmentRows::link), record.expiresAt(),
                record.isProtected(), branchGone, decision.reap() ? "to tear down: " + decision.reason()
                        : decision.reason(), record.teardownStagesSkipped());
    }

    /** {@code text} when it is an absolute http(s) address with a host, which a page may link. */
    public static Optional<String> link(String text) {
        try {
            URI uri = new URI(text.strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null
                    ? Optional.of(uri.toString()) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
