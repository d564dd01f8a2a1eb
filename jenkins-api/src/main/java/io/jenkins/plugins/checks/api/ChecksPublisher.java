package io.jenkins.plugins.checks.api;

/** Subset of checks-api {@code io.jenkins.plugins.checks.api.ChecksPublisher} (402.vca_263b_f200e3). */
public abstract class ChecksPublisher {
    public abstract void publish(ChecksDetails details);
}
