package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.ImageReference;
import io.jenkins.plugins.berth.images.registry.Manifest;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import io.jenkins.plugins.berth.images.registry.RegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Gives an image a new tag, its digest unchanged: the source manifest is read and written, byte for byte, under the
 * new tag. What the manifest names (blobs, and the platform manifests of an index) must exist where the tag goes:
 * <ul>
 *   <li>in the same repository: nothing to do (a manifest GET and a PUT, nothing else);</li>
 *   <li>in another repository of the same registry: each blob is mounted (one POST each, no byte moved);</li>
 *   <li>in another registry: each blob the target repository lacks is streamed from the source registry into a
 *       one-request upload at the target (three requests: the POST that also finds a blob already there, the GET,
 *       the PUT), through memory a buffer at a time and never onto disk.</li>
 * </ul>
 * A promotion reads its source first ({@link #read}, which is where a missing source is found) and writes it after
 * ({@link #write}), so that a caller can check every source before it changes anything.
 */
public final class Promoter {

    private final Function<String, RegistryClient> clients;
    private final Map<String, RegistryClient> known = new ConcurrentHashMap<>();

    /** Promotions within the one registry of {@code client}. */
    public Promoter(RegistryClient client) {
        this(host -> {
            if (!host.equals(client.registry())) {
                throw new IllegalArgumentException("this promoter knows only registry " + client.registry()
                        + ", not " + host);
            }
            return client;
        });
    }

    /** @param clients the client of a registry host, with that registry's credentials (asked once per host) */
    public Promoter(Function<String, RegistryClient> clients) {
        this.clients = clients;
    }

    /** A source manifest, read and checked against its digest, and where it was read. */
    public record Read(ImageReference source, Manifest manifest) {
        public String digest() {
            return manifest.digest();
        }
    }

    /** @throws io.jenkins.plugins.berth.images.registry.ManifestNotFoundException when the source does not exist */
    public Read read(ImageReference source) throws RegistryException {
        return new Read(source, client(source.registry()).getManifest(source.repository(), source.tagOrDigest()));
    }

    /** @return the digest now tagged at {@code target}, the same as the source's */
    public String promote(ImageReference source, ImageReference target) throws RegistryException {
        return write(read(source), target);
    }

    /** Writes a manifest read before under {@code target}'s tag, with what it names made to exist there first. */
    public String write(Read read, ImageReference target) throws RegistryException {
        String tag = target.tag().orElseThrow(() -> new RegistryException("promote to a tag, not a digest: " + target));
        ImageReference source = read.source();
        RegistryClient to = client(target.registry());
        if (!source.registry().equals(target.registry()) || !source.repository().equals(target.repository())) {
            linkReferences(read.manifest(), source, target);
        }
        String digest = to.putManifest(target.repository(), tag, read.manifest());
        if (!digest.equals(read.digest())) {
            throw new RegistryException("registry " + target.registry() + " stored " + target + " as " + digest
                    + " instead of " + read.digest());
        }
        return digest;
    }

    /** Makes every blob and child manifest of {@code manifest} exist in the target's repository. */
    private void linkReferences(Manifest manifest, ImageReference source, ImageReference target)
            throws RegistryException {
        RegistryClient from = client(source.registry());
        RegistryClient to = client(target.registry());
        boolean sameRegistry = source.registry().equals(target.registry());
        for (Manifest.Descriptor blob : manifest.descriptors()) {
            // Within a registry, a mount from the source; across registries, a "mount" from the target repository
            // itself, which finds a blob it already has in the same request that opens the upload otherwise.
            Optional<String> upload = to.startUpload(target.repository(), blob.digest(),
                    sameRegistry ? source.repository() : target.repository());
            if (upload.isPresent()) {
                copy(from, source.repository(), to, target.repository(), blob, upload.get());
            }
        }
        for (String child : manifest.children()) {
            Manifest childManifest = from.getManifest(source.repository(), child);
            linkReferences(childManifest, source, target);
            to.putManifest(target.repository(), child, childManifest);
        }
    }

    /**
     * Streams one blob from the source registry into the upload opened at the target. Within one registry this
     * happens only when the registry refused the mount (it then opens an upload instead).
     */
    private static void copy(RegistryClient from, String fromRepository, RegistryClient to, String toRepository,
            Manifest.Descriptor blob, String upload) throws RegistryException {
        try (RegistryClient.Blob content = from.openBlob(fromRepository, blob.digest())) {
            long size = blob.size() >= 0 ? blob.size() : content.length();
            if (size < 0) {
                throw new RegistryException("neither the manifest nor " + from.registry() + " says how large blob "
                        + blob.digest() + " is");
            }
            to.finishUpload(toRepository, upload, blob.digest(), content.content(), size);
        } catch (RegistryException | IOException e) {
            RegistryException failure = e instanceof RegistryException known ? known
                    : new RegistryException("cannot copy blob " + blob.digest() + " from " + from.registry() + "/"
                            + fromRepository + " to " + to.registry() + "/" + toRepository + ": " + e.getMessage(), e);
            try {
                to.cancelUpload(toRepository, upload);
            } catch (RegistryException cancel) {
                failure.addSuppressed(cancel);
            }
            throw failure;
        }
    }

    private RegistryClient client(String host) {
        return known.computeIfAbsent(host, clients);
    }
}
