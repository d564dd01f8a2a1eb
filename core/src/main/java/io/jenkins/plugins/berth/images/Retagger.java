package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.ImageReference;
import java.util.Optional;

/**
 * Gives an existing image another tag, the digest unchanged: through the OCI distribution API
 * ({@link RegistryRetagger}: in its repository, into another repository of the registry, or into another
 * registry), or through ECR's own API ({@link EcrRetagger}, in its repository). A promotion reads every source
 * first ({@link #find}) and writes after ({@link #write}), so a missing source is found before anything changes.
 */
public interface Retagger {

    /** A source read: what {@link #write} needs, and its digest. */
    interface Source {
        ImageReference reference();

        String digest();
    }

    /** The source (by tag or digest) read, or empty when it does not exist. */
    Optional<Source> find(ImageReference source) throws BerthException;

    /** @return the digest {@code target}'s tag now names, the same as the source's */
    String write(Source source, ImageReference target) throws BerthException;
}
