package io.jenkins.plugins.checks.api;

import hudson.ExtensionPoint;
import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;

/** Subset of checks-api {@code io.jenkins.plugins.checks.api.ChecksPublisherFactory} (402.vca_263b_f200e3). */
public abstract class ChecksPublisherFactory implements ExtensionPoint {
    public static ChecksPublisher fromRun(final Run<?, ?> run, final TaskListener listener) {
        throw new UnsupportedOperationException();
    }

    public static ChecksPublisher fromJob(final Job<?, ?> job, final TaskListener listener) {
        throw new UnsupportedOperationException();
    }
}
