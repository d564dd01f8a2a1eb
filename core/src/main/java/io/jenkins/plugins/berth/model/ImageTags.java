package io.jenkins.plugins.berth.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The tags a deploy moves to an image it built (besides the content tag it is pushed under): the commit and
 * the environment's name always; {@code latest} and the image's extra tags only for a release branch, so a
 * feature branch's build can never become what {@code promote} ships. The images phase and the plan both
 * take the list from here.
 */
public final class ImageTags {

    /** The tag the first release stage promotes from, which only release branches move. */
    public static final String LATEST = "latest";

    private ImageTags() {}

    /**
     * Why the environment's name cannot be its images' tag, if it cannot: it would move {@code latest}, an extra
     * tag or a release stage's tag (an {@code environment.name} template can give a branch that name), which only
     * the release branch and {@code promote} may move.
     */
    public static java.util.Optional<String> environmentTagConflict(DeployFile file, String environment) {
        boolean stage = file.release().stream().anyMatch(s -> s.name().equals(environment));
        boolean releaseTag = environment.equals(LATEST) || file.images().values().stream()
                .anyMatch(image -> image.tags().stream().anyMatch(tag -> tag.value().equals(environment)));
        if (!releaseTag && !stage) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("environment '" + environment + "' cannot tag its images: '" + environment
                + "' is " + (stage ? "a release stage's tag, which only 'berth promote'" : "a tag only a release"
                + " branch") + " moves; give 'environment.name' a template that cannot produce it (the default is"
                + " ${PROJECT}-${BRANCH_SLUG})");
    }

    /**
     * @param commit the commit tag, or empty when the deploy has no commit
     * @param environment the environment's name (a valid tag: a DNS label)
     */
    public static List<String> of(DeployFile file, ImageSpec image, String branch, String environment,
            String commit) {
        Set<String> tags = new LinkedHashSet<>();
        if (!commit.isEmpty()) {
            tags.add(commit);
        }
        tags.add(environment);
        if (file.releaseBranches().includes(branch)) {
            tags.add(LATEST);
            image.tags().forEach(tag -> tags.add(tag.value()));
        }
        return new ArrayList<>(tags);
    }
}
