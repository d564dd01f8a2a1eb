package io.jenkins.plugins.berth.images.registry;

/** The registry has no manifest under the reference asked for. */
public final class ManifestNotFoundException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public ManifestNotFoundException(String registry, String repository, String reference) {
        super(registry + "/" + repository + (Digest.isDigest(reference) ? "@" : ":") + reference
                + " does not exist in the registry");
    }
}
