package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.environments.StepStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EnvironmentRowsTest {
    private static final Instant DEPLOYED = Instant.parse("2026-11-20T10:00:00Z");

    private static EnvironmentRecord deployed(String name, String branch, EnvironmentKind kind, String by) {
        RunRecord run = new RunRecord("up", DEPLOYED, Optional.of(DEPLOYED.plusSeconds(60)),
                Optional.of(StepStatus.SUCCEEDED), List.of(), Optional.of(by));
        return EnvironmentRecord.create(name, "shop", branch, kind, kind == EnvironmentKind.RELEASE_STAGE, DEPLOYED)
                .withDeploy(Optional.of("abc"), Optional.of(Duration.ofDays(3)), DEPLOYED)
                .withRun(run, Optional.of("https://" + name + ".example.com/"), DEPLOYED)
                .withStatus(EnvironmentStatus.READY, DEPLOYED);
    }

    @Test
    void rowsSayWhatEachEnvironmentIsAndWhatReapingWillDo() {
        Instant now = DEPLOYED.plus(Duration.ofHours(1));
        List<EnvironmentRows.Row> rows = EnvironmentRows.of(summaries(
                deployed("shop-pr-7", "PR-7", EnvironmentKind.PULL_REQUEST, "https://ci.example.com/job/shop/job/PR-7/3/"),
                deployed("shop-main", "main", EnvironmentKind.BRANCH, "alice@laptop (pid 12)"),
                deployed("shop-old", "old", EnvironmentKind.BRANCH, "https://ci.example.com/job/shop/job/old/1/")
                        .withStatus(EnvironmentStatus.GONE, now),
                deployed("shop-prod", "main", EnvironmentKind.RELEASE_STAGE, "javascript:alert(1)")),
                Optional.of(Set.of("main")), now);

        assertThat(rows).extracting(EnvironmentRows.Row::name)
                .containsExactly("shop-prod", "shop-main", "shop-pr-7", "shop-old");
        EnvironmentRows.Row pr = rows.get(2);
        assertThat(pr.branchGone()).isTrue();
        assertThat(pr.verdict()).isEqualTo("to tear down: branch PR-7 is gone");
        assertThat(pr.lastRunLink()).hasValue("https://ci.example.com/job/shop/job/PR-7/3/");
        assertThat(pr.url()).hasValue("https://shop-pr-7.example.com/");
        EnvironmentRows.Row main = rows.get(1);
        assertThat(main.branchGone()).isFalse();
        assertThat(main.lastRunBy()).hasValue("alice@laptop (pid 12)");
        assertThat(main.lastRunLink()).isEmpty();
        assertThat(main.verdict()).isEqualTo("expires 2026-11-23T10:00:00Z");
        EnvironmentRows.Row prod = rows.get(0);
        assertThat(prod.pinned()).isTrue();
        assertThat(prod.lastRunLink()).isEmpty();
        assertThat(rows.get(3).verdict()).isEqualTo("already gone");
        // What a gone environment served is no more: the Environments page offers no link to it.
        assertThat(rows.get(3).url()).isEmpty();
    }

    @Test
    void aTeardownThatSkippedTheTeardownStagesSaysWhy() {
        Instant now = DEPLOYED.plus(Duration.ofHours(1));
        RunRecord down = new RunRecord("down", now, Optional.of(now), Optional.of(StepStatus.SUCCEEDED), List.of(),
                Optional.of("alice@laptop (pid 12)"), Optional.of("cleanup API retired"));
        EnvironmentRecord gone = deployed("shop-old", "old", EnvironmentKind.BRANCH, "alice@laptop (pid 12)")
                .withRun(down, Optional.empty(), now).withStatus(EnvironmentStatus.GONE, now);
        assertThat(EnvironmentRows.of(summaries(gone, deployed("shop-main", "main", EnvironmentKind.BRANCH, "bob")),
                Optional.empty(), now)).extracting(EnvironmentRows.Row::teardownStagesSkipped)
                .containsExactly(Optional.empty(), Optional.of("cleanup API retired"));
    }

    @Test
    void onlyHttpAddressesWithAHostAreLinks() {
        assertThat(EnvironmentRows.link("https://shop.example.com/a?b=c")).hasValue("https://shop.example.com/a?b=c");
        assertThat(EnvironmentRows.link("HTTP://shop.example.com")).isPresent();
        assertThat(List.of("javascript:alert(1)", "data:text/html,x", "//evil.example.com", "/job/x/1/", "http:///x",
                "file:///etc/passwd", "not a url at all")).allSatisfy(text ->
                        assertThat(EnvironmentRows.link(text)).as(text).isEmpty());
    }

    /** What listings and reaping read of each record. */
    private static List<io.jenkins.plugins.berth.environments.EnvironmentSummary> summaries(
            io.jenkins.plugins.berth.environments.EnvironmentRecord... records) {
        return java.util.Arrays.stream(records).map(io.jenkins.plugins.berth.environments.EnvironmentRecord::summary)
                .toList();
    }
}
