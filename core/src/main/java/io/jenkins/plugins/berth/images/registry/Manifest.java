package io.jenkins.plugins.berth.images.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest exactly as the registry sent it: its bytes (whose SHA-256 is its digest, so they are never
 * re-serialized), media type and digest. {@link #blobs} and {@link #children} read what it refers to.
 */
public record Manifest(byte[] content, String mediaType, String digest) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The config and layer digests of an image manifest; none for an index. */
    public List<String> blobs() throws RegistryException {
        if (ManifestMediaTypes.isIndex(mediaType)) {
            return List.of();
        }
        JsonNode root = tree();
        List<String> digests = new ArrayList<>();
        if (root.path("config").hasNonNull("digest")) {
            digests.add(root.path("config").path("digest").asText());
        }
        root.path("layers").forEach(layer -> digests.add(layer.path("digest").asText()));
        return digests;
    }

    /** A blob an image manifest names: its digest and its size in bytes, as the manifest gives them. */
    public record Descriptor(String digest, long size) {}

    /** The config and layers of an image manifest with their sizes; none for an index. */
    public List<Descriptor> descriptors() throws RegistryException {
        if (ManifestMediaTypes.isIndex(mediaType)) {
            return List.of();
        }
        JsonNode root = tree();
        List<Descriptor> descriptors = new ArrayList<>();
        if (root.path("config").hasNonNull("digest")) {
            descriptors.add(descriptor(root.path("config")));
        }
        root.path("layers").forEach(layer -> descriptors.add(descriptor(layer)));
        return descriptors;
    }

    private static Descriptor descriptor(JsonNode node) {
        return new Descriptor(node.path("digest").asText(), node.path("size").asLong(-1));
    }

    /** The manifests an index or manifest list names, by digest; none for an image manifest. */
    public List<String> children() throws RegistryException {
        if (!ManifestMediaTypes.isIndex(mediaType)) {
            return List.of();
        }
        List<String> digests = new ArrayList<>();
        tree().path("manifests").forEach(m -> digests.add(m.path("digest").asText()));
        return digests;
    }

    private JsonNode tree() throws RegistryException {
        try {
            return JSON.readTree(content);
        } catch (IOException e) {
            throw new RegistryException("manifest " + digest + " is not JSON: " + e.getMessage());
        }
    }
}
