package io.jenkins.plugins.berth.terraform;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * One HTTP request to Berth's Terraform state backend, from its raw parts to the answer: HTTP Basic
 * authentication (user {@value #USER}, the password checked by a {@link Passwords}), which states
 * the password may touch, then {@link StateProtocol}. The CLI's embedded server and the Jenkins
 * plugin's state action both hand their requests here, so they authenticate and answer alike.
 */
public final class StateEndpoint {

    public static final String USER = "berth";
    /** A state larger than this is refused rather than read into memory. */
    public static final int MAX_BODY = 64 * 1024 * 1024;

    /** Decides which state keys a password may use. */
    @FunctionalInterface
    public interface Passwords {
        /**
         * Empty: the password is not known (401); false: known but not for this key (403), or not to change it
         * ({@code write}: any request but a {@code GET}).
         */
        Optional<Boolean> allows(String password, String key, boolean write);

        /** One password for every key: the CLI's server, alive for one command. */
        static Passwords single(String password) {
            byte[] expected = password.getBytes(StandardCharsets.UTF_8);
            return (given, key, write) -> java.security.MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                    expected) ? Optional.of(true) : Optional.empty();
        }

        /** The tokens of running builds, each for its own project's (or environment's) states. */
        static Passwords of(StateTokens tokens) {
            return (given, key, write) -> tokens.grant(given).map(grant -> grant.allows(key, write));
        }
    }

    /**
     * @param key the state key: the request path after the endpoint's prefix, not yet decoded
     * @param rawQuery the query string, if any
     * @param authorization the {@code Authorization} header, if any
     */
    public record Request(String method, String key, Optional<String> rawQuery, Optional<String> authorization,
            byte[] body) {}

    private final StateProtocol protocol;
    private final Passwords passwords;

    public StateEndpoint(StateStorage storage, Passwords passwords) {
        this.protocol = new StateProtocol(storage);
        this.passwords = passwords;
    }

    public StateProtocol.Response handle(Request request) throws IOException {
        Optional<String> password = request.authorization().flatMap(StateEndpoint::basicPassword);
        if (password.isEmpty()) {
            return StateProtocol.Response.of(401, "authentication required");
        }
        Optional<Boolean> allowed = passwords.allows(password.get(), request.key(), !"GET".equals(request.method()));
        if (allowed.isEmpty()) {
            return StateProtocol.Response.of(401, "authentication required");
        }
        if (!allowed.get()) {
            return StateProtocol.Response.of(403, "this build may not use the state '" + request.key() + "'");
        }
        if (request.body().length > MAX_BODY) {
            return StateProtocol.Response.of(413, "a state may be at most " + MAX_BODY + " bytes");
        }
        return protocol.handle(request.method(), request.key(), request.rawQuery().flatMap(StateEndpoint::lockId),
                request.body());
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
