package io.jenkins.plugins.berth.pipeline;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where the Terraform states of the {@code http} backend and the environment records of a deploy live. */
public enum StateHome {
    /** On the controller, served to the build (the default): any agent can deploy or tear down. */
    JENKINS,
    /** In the deploying workspace, as the command line keeps them. */
    WORKSPACE;

    public String keyword() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The home a form names; blank means "not set here".
     *
     * @throws IllegalArgumentException for any other word
     */
    public static Optional<StateHome> parse(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(Arrays.stream(values()).filter(home -> home.keyword().equals(text.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("state backend '" + text.strip()
                        + "': write jenkins or workspace, or leave it blank to inherit")));
    }
}
