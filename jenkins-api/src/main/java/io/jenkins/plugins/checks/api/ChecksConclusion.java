package io.jenkins.plugins.checks.api;

/** Subset of checks-api {@code io.jenkins.plugins.checks.api.ChecksConclusion} (402.vca_263b_f200e3). */
public enum ChecksConclusion {
    NONE, ACTION_REQUIRED, SKIPPED, CANCELED, TIME_OUT, FAILURE, NEUTRAL, SUCCESS
}
