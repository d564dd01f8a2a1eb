package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryException;

/**
 * Gives an image a new tag without moving a layer: the source manifest is read by reference and written,
 * byte for byte, under the new tag, so the digest stays the same. Across repositories of one registry,
 * the blobs (and the child manifests of an index) are first mounted into the target repository.
 */
public final class Promoter {

    private final RegistryClient client;

    public Promoter(RegistryClient client) {
        this.client = client;
    }

    /**
     * @return the digest now tagged at {@code target}, the same as the source's
     * @throws io.jenkins.plugins.berth.images.registry.ManifestNotFoundException when the source tag does not exist
     */
    public String promote(ImageReference source, ImageReference target) throws RegistryException {
        if (!source.registry().equals(target.registry()) || !source.registry().equals(client.registry())) {
            throw new RegistryException("promotion stays within one registry: " + source + " cannot become " + target);
        }
        String tag = target.tag().orElseThrow(() -> new RegistryException("promote to a tag, not a digest: " + target));
        Manifest manifest = client.getManifest(source.repository(), source.tagOrDigest());
        if (!source.repository().equals(target.repository())) {
            linkReferences(manifest, source.repository(), target.repository());
        }
        String digest = client.putManifest(target.repository(), tag, manifest);
        if (!digest.equals(manifest.digest())) {
            throw new RegistryException("registry " + client.registry() + " stored " + target + " as " + digest
                    + " instead of " + manifest.digest());
        }
        return digest;
    }

    /** Makes every blob and child manifest of {@code manifest} exist in {@code to}, by mounting from {@code from}. */
    private void linkReferences(Manifest manifest, String from, String to) throws RegistryException {
        for (String blob : manifest.blobs()) {
            if (!client.hasBlob(to, blob) && !client.mountBlob(to, blob, from)) {
                throw new RegistryException("registry " + client.registry() + " would not mount blob " + blob + " from "
                        + from + " into " + to + "; Berth does not copy layers, so the promotion stops here");
            }
        }
        for (String child : manifest.children()) {
            Manifest childManifest = client.getManifest(from, child);
            linkReferences(childManifest, from, to);
            client.putManifest(to, child, childManifest);
        }
    }
}
