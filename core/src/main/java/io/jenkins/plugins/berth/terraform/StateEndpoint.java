package io.jenkins.plugins.berth.terraform;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One HTTP request to Berth's Terraform state backend, from its raw parts to the answer: HTTP Basic
 * authentication (user {@value #USER}, the password checked by a {@link Passwords}), which methods on
 * which states the password may use, then {@link StateProtocol}. The CLI's embedded server and the
 * Jenkins plugin's state action both hand their requests here, so they authenticate and answer alike.
 *
 * <p>Nothing of a body is read before the request is authenticated and authorized, and only for the
 * methods that take one; {@link StateBodies} then bounds how much and how many at once.
 */
public final class StateEndpoint {

    public static final String USER = "berth";

    /** Decides which methods on which state keys a password may use. */
    @FunctionalInterface
    public interface Passwords {
        /** Empty: the password is not known (401); false: known but not for this method and key (403). */
        Optional<Boolean> allows(String password, String method, String key);

        /** One password for every method and key: the CLI's server, alive for one command. */
        static Passwords single(String password) {
            byte[] expected = password.getBytes(StandardCharsets.UTF_8);
            return (given, method, key) -> java.security.MessageDigest.isEqual(
                    given.getBytes(StandardCharsets.UTF_8), expected) ? Optional.of(true) : Optional.empty();
        }

        /** The tokens of running builds, each for its own {@link StateScope}. */
        static Passwords of(StateTokens tokens) {
            return (given, method, key) -> tokens.grant(given).map(grant -> grant.allows(method, key));
        }
    }

    /**
     * @param key the state key: the request path after the endpoint's prefix, not yet decoded
     * @param rawQuery the query string, if any
     * @param authorization the {@code Authorization} header, if any
     * @param contentLength the declared {@code Content-Length}; empty when chunked or not given
     * @param body the body, opened only when the request may send one
     */
    public record Request(String method, String key, Optional<String> rawQuery, Optional<String> authorization,
            OptionalLong contentLength, StateBodies.Source body) {}

    private final StateProtocol protocol;
    private final Passwords passwords;
    private final StateBodies bodies;

    /** An endpoint with bodies bounded on its own: for a server that keeps one endpoint. */
    public StateEndpoint(StateStorage storage, Passwords passwords) {
        this(storage, passwords, new StateBodies());
    }

    /** @param bodies shared by every endpoint of one server, so that its bound holds across them */
    public StateEndpoint(StateStorage storage, Passwords passwords, StateBodies bodies) {
        this.protocol = new StateProtocol(storage);
        this.passwords = passwords;
        this.bodies = bodies;
    }

    public StateProtocol.Response handle(Request request) throws IOException {
        Optional<String> password = request.authorization().flatMap(StateEndpoint::basicPassword);
        Optional<Boolean> allowed = password.flatMap(p -> passwords.allows(p, request.method(), request.key()));
        if (allowed.isEmpty()) {
            return StateProtocol.Response.of(401, "authentication required")
                    .withHeader("WWW-Authenticate", "Basic realm=\"berth state\"");
        }
        if (!allowed.get()) {
            // Says nothing of the state asked for: whether it exists is not this build's business.
            return StateProtocol.Response.of(403, "this build may use only its own environment's states, and read "
                    + "(or, when granted, change) the shared stacks' states");
        }
        Optional<StateProtocol.Response> refused = StateProtocol.refuse(request.method(), request.key());
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<String> lockId = request.rawQuery().flatMap(StateEndpoint::lockId);
        if (!StateProtocol.takesBody(request.method())) {
            return protocol.handle(request.method(), request.key(), lockId, new byte[0]);
        }
        return bodies.read(request.method(), request.contentLength(), request.body(),
                body -> protocol.handle(request.method(), request.key(), lockId, body));
    }

    /** The password of a {@code Basic} header for user {@value #USER}. */
    static Optional<String> basicPassword(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        return decoded.startsWith(USER + ":") ? Optional.of(decoded.substring(USER.length() + 1)) : Optional.empty();
    }

    private static Optional<String> lockId(String rawQuery) {
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("ID=")) {
                return Optional.of(URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }
}
