package io.jenkins.plugins.berth.jenkins.links;

import hudson.model.Run;
import io.jenkins.plugins.berth.pipeline.DeployReport;

/** Puts an environment's link and status on the build that deployed it. */
public final class EnvironmentLinks {

    private EnvironmentLinks() {}

    /** Adds the environment's {@link EnvironmentBuildAction} to {@code build}, replacing an earlier one for it. */
    public static void show(Run<?, ?> build, String project, DeployReport report, String status) {
        for (EnvironmentBuildAction earlier : build.getActions(EnvironmentBuildAction.class)) {
            if (earlier.getEnvironment().equals(report.environment())) {
                build.removeAction(earlier);
            }
        }
        build.addAction(new EnvironmentBuildAction(project, report, status));
    }
}
