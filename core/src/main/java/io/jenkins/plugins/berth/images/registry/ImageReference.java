package io.jenkins.plugins.berth.images.registry;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code host[:port]/repository[:tag][@digest]}. Made by {@link #parse}, which validates; {@code toString}
 * parses back. A reference always names its registry host: Berth never guesses Docker Hub.
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<String> digest) {

    private static final Pattern REFERENCE = Pattern.compile(
            "(?<registry>[A-Za-z0-9.-]+(?::[0-9]{1,5})?)/(?<repository>[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)"
                    + "(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9._-]{0,127}))?(?:@(?<digest>" + Digest.PATTERN + "))?");

    public ImageReference {
        if (tag.isEmpty() && digest.isEmpty()) {
            throw new IllegalArgumentException("an image reference needs a tag or a digest");
        }
    }

    public static ImageReference parse(String text) {
        Matcher m = REFERENCE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an image reference (host[:port]/repository:tag or @sha256:...): '"
                    + text + "'");
        }
        return new ImageReference(m.group("registry"), m.group("repository"), Optional.ofNullable(m.group("tag")),
                Optional.ofNullable(m.group("digest")));
    }

    public static ImageReference of(String registry, String repository, String tag) {
        return parse(registry + "/" + repository + ":" + tag);
    }

    /** The tag or, when there is none, the digest: what a manifest request names. */
    public String tagOrDigest() {
        return digest.orElseGet(tag::orElseThrow);
    }

    /** The same image in another repository of the same registry under {@code newTag}. */
    public ImageReference withRepositoryAndTag(String newRepository, String newTag) {
        return of(registry, newRepository, newTag);
    }

    /** {@code registry/repository@digest}: an image pinned to its content. */
    public static ImageReference pinned(String registry, String repository, String digest) {
        return new ImageReference(registry, repository, Optional.empty(), Optional.of(new Digest(digest).value()));
    }

    public ImageReference withDigest(String newDigest) {
        return new ImageReference(registry, repository, Optional.empty(), Optional.of(newDigest));
    }

    @Override
    public String toString() {
        return registry + "/" + repository + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
    }
}
