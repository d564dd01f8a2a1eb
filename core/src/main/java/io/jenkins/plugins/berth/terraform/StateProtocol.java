package io.jenkins.plugins.berth.terraform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Terraform's HTTP state backend protocol over a {@link StateStorage}, apart from any HTTP server so
 * that the CLI's embedded server and the Jenkins plugin answer exactly alike.
 *
 * <ul>
 *   <li>{@code GET}: 200 with the state, or 204 when there is none;</li>
 *   <li>{@code POST ?ID=lock}: 200; 409 with the holder when the lock ID does not match the lock;</li>
 *   <li>{@code DELETE ?ID=lock}: 200; 409 likewise;</li>
 *   <li>{@code LOCK} (lock info as the body): 200; 423 with the holder's lock info when locked by another;</li>
 *   <li>{@code UNLOCK} (lock info as the body): 200; 409 with the holder when it holds another ID;</li>
 *   <li>400 for a bad key or body, 405 for another method. Authentication is the server's job (401).</li>
 * </ul>
 *
 * <p>The holder is always shown {@link LockInfo#withoutId without its lock ID}: whoever knows the ID may
 * unlock the state or overwrite it under the holder.
 */
public final class StateProtocol {

    /** What to answer: a status, a body (possibly empty) and any headers besides its type. */
    public record Response(int status, byte[] body, String contentType, Map<String, String> headers) {
        public Response {
            headers = Map.copyOf(headers);
        }

        public Response(int status, byte[] body, String contentType) {
            this(status, body, contentType, Map.of());
        }

        public static Response of(int status, String text) {
            return new Response(status, (text + "\n").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
        }

        static Response json(int status, byte[] body) {
            return new Response(status, body, "application/json");
        }

        public Response withHeader(String name, String value) {
            Map<String, String> more = new java.util.LinkedHashMap<>(headers);
            more.put(name, value);
            return new Response(status, body, contentType, more);
        }
    }

    /** The methods whose request carries a body: the state, or the lock info. */
    private static final Set<String> WITH_BODY = Set.of("POST", "LOCK", "UNLOCK");
    private static final Set<String> METHODS = Set.of("GET", "POST", "DELETE", "LOCK", "UNLOCK");

    private final StateStorage storage;

    public StateProtocol(StateStorage storage) {
        this.storage = storage;
    }

    /** Whether a request of {@code method} carries a body to read; the others' bodies are never read. */
    public static boolean takesBody(String method) {
        return WITH_BODY.contains(method);
    }

    /** Whether {@code method} is one of the protocol's: GET, POST, DELETE, LOCK, UNLOCK. */
    public static boolean isMethod(String method) {
        return METHODS.contains(method);
    }

    /** What to answer before any body is read: a bad key (400) or a method not in the protocol (405). */
    public static Optional<Response> refuse(String method, String key) {
        if (!isMethod(method)) {
            return Optional.of(Response.of(405, "method " + method + " is not part of the state protocol"));
        }
        if (!StateStorage.isKey(key)) {
            return Optional.of(Response.of(400, "not a state key: '" + key + "'"));
        }
        return Optional.empty();
    }

    /**
     * @param key the state key, the path after the server's prefix
     * @param lockId the {@code ID} query parameter, if any
     */
    public Response handle(String method, String key, Optional<String> lockId, byte[] body) throws IOException {
        Optional<Response> refused = refuse(method, key);
        if (refused.isPresent()) {
            return refused.get();
        }
        try {
            return switch (method) {
                case "GET" -> storage.read(key).map(state -> Response.json(200, state))
                        .orElseGet(() -> new Response(204, new byte[0], "text/plain"));
                case "POST" -> {
                    storage.write(key, body, lockId);
                    yield Response.of(200, "saved");
                }
                case "DELETE" -> {
                    storage.delete(key, lockId);
                    yield Response.of(200, "deleted");
                }
                case "LOCK" -> {
                    Optional<LockInfo> lock = LockInfo.parse(body);
                    if (lock.isEmpty()) {
                        yield Response.of(400, "LOCK needs Terraform's lock info (JSON with an ID) as its body");
                    }
                    Optional<LockInfo> holder = storage.tryLock(key, lock.get());
                    yield holder.map(h -> Response.json(423, h.withoutId())).orElseGet(() -> Response.of(200, "locked"));
                }
                case "UNLOCK" -> {
                    Optional<String> id = LockInfo.parse(body).map(LockInfo::id).or(() -> lockId);
                    if (id.isEmpty()) {
                        yield Response.of(400, "UNLOCK needs the lock info (JSON with an ID) as its body");
                    }
                    storage.unlock(key, id.get());
                    yield Response.of(200, "unlocked");
                }
                default -> throw new IllegalStateException("refuse() lets no other method through: " + method);
            };
        } catch (StateStorage.LockMismatchException e) {
            return e.holder().map(h -> Response.json(409, h.withoutId())).orElseGet(() -> Response.of(409, e.getMessage()));
        }
    }
}
