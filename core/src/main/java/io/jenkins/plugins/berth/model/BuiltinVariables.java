package io.jenkins.plugins.berth.model;

import java.util.List;
import java.util.Locale;

/**
 * The variables Berth sets for every stage. A deploy file cannot define or override them: every name
 * starting with {@code BERTH_} is reserved.
 */
public final class BuiltinVariables {
    public static final String PREFIX = "BERTH_";
    public static final String PROJECT = "BERTH_PROJECT";
    public static final String ENVIRONMENT = "BERTH_ENVIRONMENT";
    public static final String BRANCH = "BERTH_BRANCH";
    public static final String BRANCH_SLUG = "BERTH_BRANCH_SLUG";
    public static final String COMMIT = "BERTH_COMMIT";
    public static final String REGISTRY = "BERTH_REGISTRY";
    public static final String ENV_URL = "BERTH_ENV_URL";
    public static final String STAGE = "BERTH_STAGE";
    public static final String PREVIOUS_STAGE = "BERTH_PREVIOUS_STAGE";
    public static final String COLOR = "BERTH_COLOR";
    public static final String PORT = "BERTH_PORT";
    public static final String IMAGE_PREFIX = "BERTH_IMAGE_";

    /** Known before anything runs, so every stage sees them. */
    public static final List<String> FROM_START = List.of(PROJECT, ENVIRONMENT, BRANCH, BRANCH_SLUG, COMMIT, REGISTRY);

    /**
     * The built-ins that are the same for every environment of a project: all a shared stack is given. A shared
     * stack is applied once for the whole project, so a value that differs from one environment to another (the
     * environment, branch, commit, an image built from the branch's content) would make every environment's
     * deploy change it again.
     */
    public static final List<String> PROJECT_LEVEL = List.of(PROJECT, REGISTRY);

    /** Every fixed name Berth sets (the per-image names are {@link #imageVariable}). */
    public static final List<String> ALL = List.of(PROJECT, ENVIRONMENT, BRANCH, BRANCH_SLUG, COMMIT, REGISTRY, ENV_URL,
            STAGE, PREVIOUS_STAGE, COLOR, PORT);

    private BuiltinVariables() {}

    /** {@code BERTH_IMAGE_<NAME>}: the image name upper-cased, every other character than a letter or digit as '_'. */
    public static String imageVariable(String image) {
        return IMAGE_PREFIX + image.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** A name Berth sets itself: one of {@link #ALL} or an image reference. */
    public static boolean isBuiltin(String name) {
        return ALL.contains(name) || name.startsWith(IMAGE_PREFIX);
    }

    /** A name Berth sets whose value differs from one environment of a project to another: not for a shared stack. */
    public static boolean isEnvironmentLevel(String name) {
        return isBuiltin(name) && !PROJECT_LEVEL.contains(name);
    }

    /** The Terraform variable a built-in reaches a stack as: {@code berth_project} for {@code BERTH_PROJECT}. */
    public static String terraformVariable(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    public static boolean isReserved(String name) {
        return name.startsWith(PREFIX);
    }
}
