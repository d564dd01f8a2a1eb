package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;

/**
 * Gives an existing image another tag in its repository, the digest unchanged: through the OCI
 * distribution API ({@link RegistryRetagger}), or through ECR's own API ({@link EcrRetagger}).
 */
public interface Retagger {

    /** How a repository and tag are shown in messages: {@code host/repository:tag}. */
    String describe(String repository, String tag);

    boolean exists(String repository, String tag) throws BerthException;

    /** @return the digest {@code toTag} now names, the same as {@code fromTag}'s */
    String retag(String repository, String fromTag, String toTag) throws BerthException;

    /** The digest-pinned reference of an image: {@code host/repository@sha256:...}. */
    String pinned(String repository, String digest);
}
