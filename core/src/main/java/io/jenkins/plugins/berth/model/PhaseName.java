package io.jenkins.plugins.berth.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The phases of a deploy file, in the order they run, each named by its key in the file. Plans, run records,
 * steps ({@code init_stages:unit-tests}) and the Pipeline all name phases by these keys.
 */
public enum PhaseName {
    INIT_STAGES,
    IMAGES,
    BUILDS,
    INFRASTRUCTURE,
    STAGES,
    RELEASE,
    TEARDOWN;

    /** The phases {@code berth up --step} runs one task of (a release and a teardown are commands of their own). */
    public static final List<PhaseName> STEPPABLE = List.of(INIT_STAGES, IMAGES, BUILDS, INFRASTRUCTURE, STAGES);

    /** {@code init_stages}: the phase's key in the deploy file. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The phase of a deploy file key, if it is one. */
    public static Optional<PhaseName> ofKey(String key) {
        return Arrays.stream(values()).filter(p -> p.key().equals(key)).findFirst();
    }

    /** The keys of {@code phases}, in order. */
    public static List<String> keys(List<PhaseName> phases) {
        return phases.stream().map(PhaseName::key).toList();
    }
}
