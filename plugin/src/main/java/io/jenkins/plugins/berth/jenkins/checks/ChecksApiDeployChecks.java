package io.jenkins.plugins.berth.jenkins.checks;

import hudson.Extension;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.pipeline.DeployReport;
import io.jenkins.plugins.checks.api.ChecksConclusion;
import io.jenkins.plugins.checks.api.ChecksDetails;
import io.jenkins.plugins.checks.api.ChecksOutput;
import io.jenkins.plugins.checks.api.ChecksPublisherFactory;
import io.jenkins.plugins.checks.api.ChecksStatus;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * One check per environment, named {@code berth/<environment>} (the name GitHub identifies a check run by, so
 * each deploy updates it): in progress when the deploy begins, then its outcome, with the URL as the check's
 * details link and the phases and the failing step in its summary. Loaded only with the checks-api plugin.
 */
@Extension(optional = true)
public final class ChecksApiDeployChecks extends DeployChecks {

    @Override
    protected void publish(Run<?, ?> run, TaskListener listener, DeployReport report) {
        ChecksPublisherFactory.fromRun(run, listener).publish(details(report));
    }

    @Override
    protected void publish(Job<?, ?> job, TaskListener listener, DeployReport report) {
        ChecksPublisherFactory.fromJob(job, listener).publish(details(report));
    }

    static ChecksDetails details(DeployReport report) {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        ChecksDetails.ChecksDetailsBuilder details = new ChecksDetails.ChecksDetailsBuilder()
                .withName(DeployReport.checkName(report.environment()))
                .withOutput(new ChecksOutput.ChecksOutputBuilder().withTitle(report.title())
                        .withSummary(report.summary()).build());
        // Only an http(s) address: the host links it, and a record must not make it link anything else.
        report.url().flatMap(io.jenkins.plugins.berth.pipeline.EnvironmentRows::link).ifPresent(details::withDetailsURL);
        if (report.outcome() == DeployReport.Outcome.IN_PROGRESS) {
            return details.withStatus(ChecksStatus.IN_PROGRESS).withStartedAt(now).build();
        }
        return details.withStatus(ChecksStatus.COMPLETED).withCompletedAt(now)
                .withConclusion(switch (report.outcome()) {
                    case SUCCEEDED -> ChecksConclusion.SUCCESS;
                    case FAILED -> ChecksConclusion.FAILURE;
                    default -> ChecksConclusion.NEUTRAL;
                }).build();
    }
}
