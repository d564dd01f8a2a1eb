package io.jenkins.plugins.berth.images;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.images.registry.RegistryClient;
import java.net.URI;

/**
 * A registry host an environment variable names ({@code host[:port]}, {@code https://host[:port]}, or plain
 * {@code http://} on the loopback interface), for a variable whose registry gets a secret: ECR's endpoint
 * ({@link PushTargets#ECR_ENDPOINT}) and the registry logins ({@link RegistryLogins}). A value with credentials in it
 * is refused without being shown.
 */
final class RegistryHostVariable {

    private RegistryHostVariable() {}

    /**
     * The value as a URI with a host, after the checks every such variable needs.
     *
     * @param usage what to give instead, for the message of a value that names no host
     * @param secret what goes to the registry ({@code the registry token}), for the message of plain HTTP elsewhere
     * @param atAdvice what to do about an {@code @}, after "holds an @: "
     */
    static URI parse(String variable, String value, String usage, String secret, String atAdvice)
            throws BerthException {
        String text = value.strip();
        if (text.contains("@")) {
            // Never echoed: what comes before the @ would be a user and password.
            throw new BerthException(variable + " holds an @: " + atAdvice);
        }
        URI uri;
        try {
            uri = URI.create(text.contains("://") ? text : "https://" + text);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getRawAuthority() == null
                || !uri.getScheme().equals("https") && !uri.getScheme().equals("http")) {
            throw new BerthException(variable + " is '" + text + "': " + usage);
        }
        if (uri.getScheme().equals("http") && !isLoopback(uri)) {
            throw new BerthException(variable + " is '" + text + "': " + secret + " is sent over HTTPS only (plain"
                    + " http:// only to 127.0.0.1 or localhost)");
        }
        return uri;
    }

    static boolean isLoopback(URI uri) {
        return RegistryClient.isLoopback(uri.getHost());
    }
}
