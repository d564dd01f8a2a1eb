package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import java.util.Optional;
import java.util.Set;

/**
 * What the Environments page's buttons may do with an environment, decided apart from any page so that
 * the page and its tests agree: a refusal says why, in words a user can act on.
 */
public final class PageActions {

    /** The page's buttons. */
    public enum Action {
        TEAR_DOWN("tear down"), REDEPLOY("redeploy"), PIN("pin"), UNPIN("unpin");

        private final String words;

        Action(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    private PageActions() {}

    /**
     * Why {@code action} cannot be done to {@code environment}, or empty when it can.
     *
     * @param liveBranches the branches that still have a job in the folder
     */
    public static Optional<String> refusal(Action action, EnvironmentRecord environment, Set<String> liveBranches) {
        String name = environment.name();
        return switch (action) {
            case TEAR_DOWN -> environment.isGone() ? Optional.of(name + " is already torn down")
                    : environment.isProtected() ? Optional.of(name + " is pinned: unpin it first, then tear it down")
                    : Optional.empty();
            case REDEPLOY -> environment.kind() == EnvironmentKind.RELEASE_STAGE
                    ? Optional.of(name + " is a release stage: promote to it again from the job that promotes")
                    : liveBranches.contains(environment.branch()) ? Optional.empty()
                    : Optional.of("branch " + environment.branch() + " has no job in this folder any more, so there"
                            + " is nothing to redeploy " + name + " from");
            case PIN -> environment.isProtected() ? Optional.of(name + " is already pinned") : Optional.empty();
            case UNPIN -> environment.isProtected() ? Optional.empty() : Optional.of(name + " is not pinned");
        };
    }
}
