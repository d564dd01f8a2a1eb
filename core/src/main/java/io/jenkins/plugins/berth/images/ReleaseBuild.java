package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the first release stage promotes: the images the release branch's environment runs, by the digests its
 * record keeps, once its last deploy succeeded. Not a tag: a tag can move between reading and promoting, and a
 * digest names one build. By default the environment of the release branch ({@code release_branches}; the one of
 * them that has deployed), or the environment named with {@code --from}.
 *
 * @param environment the environment promoted from
 * @param branch its branch
 * @param commit the commit its last deploy built
 * @param images each image of the deploy file and its digest-pinned reference there
 */
public record ReleaseBuild(String environment, String branch, Optional<String> commit,
        Map<String, ImageReference> images) {

    public ReleaseBuild {
        images = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(images));
    }

    /** How the source is shown: {@code shop-main (branch main at c1)}. */
    public String describe() {
        return environment + " (branch " + branch + commit.map(c -> " at " + c).orElse("") + ")";
    }

    /**
     * The build the first release stage promotes from.
     *
     * @param from the environment to promote from; empty for the release branch's
     * @throws BerthException when there is none to promote, saying why and what to do
     */
    public static ReleaseBuild of(DeployFile file, StateStore state, String defaultProject, Optional<String> from)
            throws BerthException {
        EnvironmentRecord record;
        if (from.isPresent()) {
            record = read(state, from.get()).filter(r -> !r.isGone()).orElseThrow(() -> new BerthException(
                    "there is no environment '" + from.get() + "' to promote from in the state folder"
                            + " (berth envs lists them)"));
        } else {
            List<String> names = new ArrayList<>();
            List<EnvironmentRecord> deployed = new ArrayList<>();
            for (String branch : file.releaseBranches().names()) {
                String name = BranchEnvironments.of(file, defaultProject, branch).environment();
                names.add(name);
                read(state, name).filter(r -> !r.isGone()).ifPresent(deployed::add);
            }
            if (deployed.isEmpty()) {
                throw new BerthException("no release branch has a build to promote: the state folder has no environment"
                        + " of " + String.join(" or ", file.releaseBranches().names()) + " (" + String.join(", ", names)
                        + "); deploy the release branch first (berth up --branch "
                        + file.releaseBranches().names().get(0) + "), or name the environment with --from");
            }
            if (deployed.size() > 1) {
                throw new BerthException("more than one release branch has deployed ("
                        + String.join(", ", deployed.stream().map(EnvironmentRecord::name).toList())
                        + "): name the environment to promote from with --from");
            }
            record = deployed.get(0);
        }
        if (record.status() != EnvironmentStatus.READY) {
            throw new BerthException("the last deploy of " + record.name() + " did not succeed (it is "
                    + record.status().keyword() + "): promote once a deploy of " + record.branch() + " succeeds, or"
                    + " name another environment with --from");
        }
        Map<String, ImageReference> images = new LinkedHashMap<>();
        List<String> lacking = new ArrayList<>();
        for (String image : file.images().keySet()) {
            String pinned = record.images().get(image);
            Optional<ImageReference> reference = pinned == null ? Optional.empty() : pinnedReference(pinned);
            if (reference.isPresent()) {
                images.put(image, reference.get());
            } else {
                lacking.add(image);
            }
        }
        if (!lacking.isEmpty()) {
            throw new BerthException(record.name() + " has no build of image " + String.join(", ", lacking)
                    + " (its record lists " + (record.images().isEmpty() ? "no image"
                            : String.join(", ", record.images().keySet())) + "): deploy " + record.branch()
                    + " with this deploy file first");
        }
        return new ReleaseBuild(record.name(), record.branch(), record.commit(), images);
    }

    private static Optional<ImageReference> pinnedReference(String text) {
        try {
            ImageReference reference = ImageReference.parse(text);
            return reference.digest().isPresent() ? Optional.of(reference) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<EnvironmentRecord> read(StateStore state, String name) throws BerthException {
        try {
            return state.read(name);
        } catch (IOException | StateException e) {
            throw new BerthException("cannot read the record of " + name + ": " + e.getMessage(), e);
        }
    }
}
