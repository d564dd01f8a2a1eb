package io.jenkins.plugins.berth.terraform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

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

    /** What to answer: a status and a body (possibly empty). */
    public record Response(int status, byte[] body, String contentType) {
        public static Response of(int status, String text) {
            return new Response(status, (text + "\n").getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
        }

        static Response json(int status, byte[] body) {
            return new Response(status, body, "application/json");
        }
    }

    private final StateStorage storage;

    public StateProtocol(StateStorage storage) {
        this.storage = storage;
    }

    /**
     * @param key the state key, the path after the server's prefix
     * @param lockId the {@code ID} query parameter, if any
     */
    public Response handle(String method, String key, Optional<String> lockId, byte[] body) throws IOException {
        if (!StateStorage.isKey(key)) {
            return Response.of(400, "not a state key: '" + key + "'");
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
                default -> Response.of(405, "method " + method + " is not part of the state protocol");
            };
        } catch (StateStorage.LockMismatchException e) {
            return e.holder().map(h -> Response.json(409, h.withoutId())).orElseGet(() -> Response.of(409, e.getMessage()));
        }
    }
}
