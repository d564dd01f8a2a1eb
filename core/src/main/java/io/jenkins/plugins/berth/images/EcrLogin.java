package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.images.registry.Credentials;
import java.time.Instant;

/**
 * What ECR's {@code GetAuthorizationToken} gives for a registry: the registry's endpoint (its {@code proxyEndpoint},
 * {@code host[:port]}), the credentials (user {@code AWS} and a token) and when they expire. {@code toString} never
 * shows the token.
 */
public record EcrLogin(String endpoint, Credentials credentials, Instant expiresAt) {

    @Override
    public String toString() {
        return "EcrLogin[" + endpoint + ", " + credentials + ", expires " + expiresAt + "]";
    }
}
