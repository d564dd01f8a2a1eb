package io.jenkins.plugins.berth.jenkins.checks;

import hudson.ExtensionList;
import hudson.ExtensionPoint;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.pipeline.DeployReport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where a deploy stands, told to the host of the commit (GitHub, GitLab: a check on the pull request and the
 * commit). Berth's only implementation needs the optional checks-api plugin ({@link ChecksApiDeployChecks});
 * without it this publishes nothing and nothing fails.
 */
public abstract class DeployChecks implements ExtensionPoint {

    private static final Logger LOGGER = Logger.getLogger(DeployChecks.class.getName());

    /** Publishes {@code report} for the commit {@code run} built. */
    protected abstract void publish(Run<?, ?> run, TaskListener listener, DeployReport report);

    /** Publishes {@code report} for the commit {@code job} last built (a teardown, which builds no commit of its own). */
    protected abstract void publish(Job<?, ?> job, TaskListener listener, DeployReport report);

    /** Publishes {@code report} for the commit {@code run} built, through every publisher. */
    public static void forRun(Run<?, ?> run, TaskListener listener, DeployReport report) {
        each(report, checks -> checks.publish(run, listener, report));
    }

    /** The same for a job's last commit. */
    public static void forJob(Job<?, ?> job, TaskListener listener, DeployReport report) {
        each(report, checks -> checks.publish(job, listener, report));
    }

    /** Every publisher's turn; one that fails is logged and never fails the build. */
    private static void each(DeployReport report, java.util.function.Consumer<DeployChecks> publish) {
        for (DeployChecks checks : ExtensionList.lookup(DeployChecks.class)) {
            try {
                publish.accept(checks);
            } catch (RuntimeException e) {
                LOGGER.log(Level.WARNING, "Berth: could not publish the check of " + report.environment(), e);
            }
        }
    }
}
