package io.jenkins.plugins.berth.run;

import java.util.Optional;

/**
 * What {@code up} deploys: the branch and its commit, the project name to use when the file has none,
 * where secrets come from and how many tasks may run at once.
 */
public record UpRequest(String branch, Optional<String> commit, String defaultProject, SecretSource secrets,
        int parallel) {

    public UpRequest {
        if (branch.isBlank()) {
            throw new IllegalArgumentException("the branch must not be empty");
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, not " + parallel);
        }
    }
}
