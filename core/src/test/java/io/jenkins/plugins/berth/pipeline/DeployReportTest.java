package io.jenkins.plugins.berth.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.environments.StepResult;
import io.jenkins.plugins.berth.environments.StepStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeployReportTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:00:00Z");

    private static StepResult step(String phase, String name, StepStatus status, Integer exit) {
        return new StepResult(phase, name, "stage", status, Optional.of(NOW), 1000, Optional.ofNullable(exit),
                Optional.empty());
    }

    private static EnvironmentRecord after(EnvironmentStatus status, StepResult... steps) {
        RunRecord run = new RunRecord("up", NOW, Optional.of(NOW), Optional.of(StepStatus.SUCCEEDED), List.of(steps),
                Optional.empty());
        return EnvironmentRecord.create("shop-feature", "shop", "feature", EnvironmentKind.BRANCH, false, NOW)
                .withRun(run, Optional.of("https://shop-feature.example.com/"), NOW).withStatus(status, NOW);
    }

    @Test
    void aReadyEnvironmentReportsItsUrlAndEachPhasesSteps() {
        DeployReport report = DeployReport.of(after(EnvironmentStatus.READY,
                step("init_stages", "unit-tests", StepStatus.SUCCEEDED, 0),
                step("stages", "migrate", StepStatus.SUCCEEDED, 0), step("stages", "publish", StepStatus.SUCCEEDED, 0)));
        assertThat(report.outcome()).isEqualTo(DeployReport.Outcome.SUCCEEDED);
        assertThat(report.url()).contains("https://shop-feature.example.com/");
        assertThat(report.title()).isEqualTo("shop-feature is ready at https://shop-feature.example.com/");
        assertThat(report.summary()).contains("**URL:** https://shop-feature.example.com/")
                .contains("| init_stages | unit-tests succeeded |")
                .contains("| stages | migrate succeeded, publish succeeded |")
                .doesNotContain("Failed at");
    }

    @Test
    void aFailedDeployNamesTheStepThatStoppedIt() {
        DeployReport report = DeployReport.of(after(EnvironmentStatus.FAILED,
                step("init_stages", "lint", StepStatus.FAILED_CONTINUED, 1),
                step("stages", "migrate", StepStatus.FAILED, 2), step("stages", "publish", StepStatus.SKIPPED, null)));
        assertThat(report.outcome()).isEqualTo(DeployReport.Outcome.FAILED);
        assertThat(report.title()).isEqualTo("shop-feature failed at stages:migrate");
        assertThat(report.summary()).contains("**Failed at:** stages:migrate (failed, exit code 2)");
    }

    @Test
    void aTornDownEnvironmentHasNoUrlAndOneCheckNameAcrossDeploys() {
        DeployReport report = DeployReport.of(after(EnvironmentStatus.GONE));
        assertThat(report.outcome()).isEqualTo(DeployReport.Outcome.TORN_DOWN);
        assertThat(report.url()).isEmpty();
        assertThat(report.title()).isEqualTo("shop-feature was torn down");
        assertThat(DeployReport.started("shop-feature").outcome()).isEqualTo(DeployReport.Outcome.IN_PROGRESS);
        assertThat(DeployReport.checkName("shop-feature")).isEqualTo("berth/shop-feature");
    }

    @Test
    void aBuildThatFailedWhereTheRecordDoesNotShowItIsReportedFailed() {
        EnvironmentRecord ready = after(EnvironmentStatus.READY);
        assertThat(DeployReport.ended("shop-feature", Optional.of(ready), Optional.empty())).get()
                .extracting(DeployReport::outcome).isEqualTo(DeployReport.Outcome.SUCCEEDED);
        DeployReport aborted = DeployReport.ended("shop-feature", Optional.of(ready),
                Optional.of("aborted by alice\nat line 2")).orElseThrow();
        assertThat(aborted.outcome()).isEqualTo(DeployReport.Outcome.FAILED);
        assertThat(aborted.url()).as("no link to what may be half deployed").isEmpty();
        assertThat(aborted.summary()).startsWith("**Build failed:** aborted by alice\\nat line 2")
                .contains("**Status:** ready");
        EnvironmentRecord failed = after(EnvironmentStatus.FAILED, step("stages", "migrate", StepStatus.FAILED, 2));
        assertThat(DeployReport.ended("shop-feature", Optional.of(failed), Optional.of("exit code 4")).orElseThrow()
                .title()).isEqualTo("shop-feature failed at stages:migrate");
        assertThat(DeployReport.ended("shop-feature", Optional.empty(), Optional.empty())).isEmpty();
        assertThat(DeployReport.ended("shop-feature", Optional.empty(), Optional.of("no deploy file")).orElseThrow()
                .title()).isEqualTo("shop-feature: the build failed");
    }
}
