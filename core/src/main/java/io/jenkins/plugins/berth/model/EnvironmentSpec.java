package io.jenkins.plugins.berth.model;

import java.time.Duration;
import java.util.Optional;

/**
 * The {@code environment} block. {@code name} is a template over {@code PROJECT}, {@code BRANCH} and
 * {@code BRANCH_SLUG}; {@code ttl} is the idle time before automatic teardown.
 */
public record EnvironmentSpec(Template name, Optional<Duration> ttl, boolean isProtected) {
    public static final String DEFAULT_NAME = "${PROJECT}-${BRANCH_SLUG}";
    public static final java.util.List<String> NAME_VARIABLES = java.util.List.of("PROJECT", "BRANCH", "BRANCH_SLUG");
}
