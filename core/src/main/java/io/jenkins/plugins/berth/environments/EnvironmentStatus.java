package io.jenkins.plugins.berth.environments;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where an environment stands. */
public enum EnvironmentStatus {
    /** Its first deploy is running. */
    CREATING,
    /** A later deploy is running; the previous one's result still serves. */
    DEPLOYING,
    /** The last deploy succeeded. */
    READY,
    /** The last deploy or teardown stopped on a failure. */
    FAILED,
    /** The last deploy was stopped (Ctrl-C, SIGTERM) before its end; the next deploy goes on from what it left. */
    INTERRUPTED,
    TEARING_DOWN,
    GONE;

    /** Worked out once: listings print it for every environment. */
    private final String keyword = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

    @JsonValue
    public String keyword() {
        return keyword;
    }

    @JsonCreator
    public static EnvironmentStatus of(String keyword) {
        return Arrays.stream(values()).filter(s -> s.keyword().equals(keyword)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown environment status '" + keyword + "'"));
    }
}
