package io.jenkins.plugins.berth.model;

import java.util.Optional;

/**
 * An entry of {@code release}: a long-lived stage images are promoted to, in file order.
 *
 * @param registry where the stage's images go ({@code release[].registry}): another repository prefix of the same
 *     registry, or another registry; empty for the deploy file's own registry
 */
public record ReleaseStage(String name, Position position, boolean approval, Optional<Registry.Address> registry) {

    public ReleaseStage(String name, Position position, boolean approval) {
        this(name, position, approval, Optional.empty());
    }

    /** The registry the stage's images go to: its own, else the deploy file's. */
    public Optional<Registry> registryOr(Optional<Registry> fileRegistry) {
        return registry.<Registry>map(r -> r).or(() -> fileRegistry);
    }
}
