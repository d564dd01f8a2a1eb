package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryException;

/** Retags through the OCI distribution API: manifest GET, then PUT under the new tag. */
public final class RegistryRetagger implements Retagger {

    private final RegistryClient client;

    public RegistryRetagger(RegistryClient client) {
        this.client = client;
    }

    @Override
    public String describe(String repository, String tag) {
        return client.registry() + "/" + repository + ":" + tag;
    }

    @Override
    public boolean exists(String repository, String tag) throws RegistryException {
        return client.headManifest(repository, tag).isPresent();
    }

    @Override
    public String retag(String repository, String fromTag, String toTag) throws RegistryException {
        return new Promoter(client).promote(ImageReference.of(client.registry(), repository, fromTag),
                ImageReference.of(client.registry(), repository, toTag));
    }

    @Override
    public String pinned(String repository, String digest) {
        return ImageReference.pinned(client.registry(), repository, digest).toString();
    }
}
