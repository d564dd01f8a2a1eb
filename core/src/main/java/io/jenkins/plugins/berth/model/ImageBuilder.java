package io.jenkins.plugins.berth.model;

import java.util.Locale;

/**
 * The program that builds images ({@code builder:}): docker buildx (the default), kaniko, buildah, or kaniko as a
 * Job in a Kubernetes cluster ({@code kaniko-job}, settings in {@link KanikoJobSettings}).
 */
public enum ImageBuilder {
    BUILDX, KANIKO, BUILDAH, KANIKO_JOB;

    /** As the deploy file writes it: {@code buildx}, {@code kaniko}, {@code buildah}, {@code kaniko-job}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The builder a deploy file's {@code builder:} names (one of {@link Keys#BUILDERS}). */
    static ImageBuilder of(String keyword) {
        return valueOf(keyword.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
