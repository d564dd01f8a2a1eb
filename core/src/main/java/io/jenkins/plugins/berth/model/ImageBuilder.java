package io.jenkins.plugins.berth.model;

import java.util.Locale;

/** The program that builds images ({@code builder:}): docker buildx (the default), kaniko or buildah. */
public enum ImageBuilder {
    BUILDX, KANIKO, BUILDAH;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }
}
