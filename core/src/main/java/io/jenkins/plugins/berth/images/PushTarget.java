package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.Credentials;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import java.util.Optional;

/**
 * Where the images of one repository are pushed: the registry client Berth checks and tags with (its host is the host
 * of every reference to the images), and the login the builder is given for its push, if Berth has one (ECR's token,
 * or the login the environment gives for the host, {@link RegistryLogins}; else the builder uses its own, as
 * {@code docker login} or {@code buildah login} left it).
 */
public record PushTarget(RegistryClient client, Optional<Credentials> builderLogin) {

    /** {@code host[:port]}, as references name it. */
    public String host() {
        return client.registry();
    }
}
