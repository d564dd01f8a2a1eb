package io.jenkins.plugins.berth.environments;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** What an environment is for: a branch, a pull request, or a long-lived release stage. */
public enum EnvironmentKind {
    BRANCH, PULL_REQUEST, RELEASE_STAGE;

    /** Worked out once: listings print it for every environment. */
    private final String keyword = name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');

    /** Jenkins names pull requests {@code PR-123}; git hosts {@code pull/123/head} or {@code merge-requests/1}. */
    private static final Pattern PULL_REQUEST_BRANCH = Pattern.compile(
            "(?i)(PR-\\d+|(refs/)?pull/\\d+(/(head|merge))?|(refs/)?merge-requests/\\d+(/head)?)");

    public static EnvironmentKind ofBranch(String branch) {
        return PULL_REQUEST_BRANCH.matcher(branch).matches() ? PULL_REQUEST : BRANCH;
    }

    @JsonValue
    public String keyword() {
        return keyword;
    }

    @JsonCreator
    public static EnvironmentKind of(String keyword) {
        return Arrays.stream(values()).filter(k -> k.keyword().equals(keyword)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown environment kind '" + keyword + "'"));
    }
}
