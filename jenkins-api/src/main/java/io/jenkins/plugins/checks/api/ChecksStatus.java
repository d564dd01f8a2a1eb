package io.jenkins.plugins.checks.api;

/** Subset of checks-api {@code io.jenkins.plugins.checks.api.ChecksStatus} (402.vca_263b_f200e3). */
public enum ChecksStatus {
    NONE, QUEUED, IN_PROGRESS, COMPLETED
}
