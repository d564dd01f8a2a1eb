package io.jenkins.plugins.berth.pipeline;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which multibranch folder a project's environments belong to, decided when a build deploys it. The first
 * folder to deploy a project owns it: its Environments page, teardowns and reaping act on the project's
 * environments. Another folder may not take a project from an owner that still exists (its users could
 * otherwise tear down the owner's environments); when the owner is gone, the next folder takes it over.
 * A build outside any multibranch folder (a plain Pipeline job promoting a release) changes nothing.
 */
public final class ProjectOwner {

    /** What the deploy does with the note: keep it, write {@code folder} as the owner, or refuse. */
    public sealed interface Decision permits Keep, Take, Refuse {}

    public record Keep() implements Decision {}

    public record Take(String folder) implements Decision {}

    public record Refuse(String reason) implements Decision {}

    private ProjectOwner() {}

    /**
     * @param project the deployed project
     * @param noted the folder noted as its owner, if any
     * @param deploying the multibranch folder of the deploying build; empty for a build outside one
     * @param exists whether a folder of that full name still exists
     */
    public static Decision decide(String project, Optional<String> noted, Optional<String> deploying,
            Predicate<String> exists) {
        if (deploying.isEmpty() || deploying.equals(noted)) {
            return new Keep();
        }
        if (noted.isPresent() && exists.test(noted.get())) {
            return new Refuse("project " + project + " is deployed by the folder " + noted.get() + ", not by "
                    + deploying.get() + ": deploy it from there, give this deploy file another project name, or"
                    + " delete or rename that folder first");
        }
        return new Take(deploying.get());
    }
}
