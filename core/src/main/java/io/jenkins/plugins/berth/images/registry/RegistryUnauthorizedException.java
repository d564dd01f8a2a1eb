package io.jenkins.plugins.berth.images.registry;

/** The registry refused the credentials Berth has (or asked for some and Berth has none). */
public final class RegistryUnauthorizedException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryUnauthorizedException(String registry, String action) {
        super("registry " + registry + " refused to let Berth " + action + ": give credentials for " + registry
                + " (docker login writes them to ~/.docker/config.json, which Berth reads)");
    }
}
