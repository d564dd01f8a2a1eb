package io.jenkins.plugins.berth.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A Terraform state lock as Terraform sends it ({@code {"ID", "Operation", "Who", "Created", ...}}). The
 * raw JSON is kept as received; on a conflict the next locker is shown {@link #withoutId} only.
 */
public record LockInfo(String id, String who, String operation, String created, byte[] json) {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** Terraform's lock info fields but the ID, which is all a caller needs to unlock or overwrite the state. */
    private static final List<String> SHOWN = List.of("Operation", "Info", "Who", "Version", "Created", "Path");

    /** Reads a lock body; empty when it is not JSON with an {@code ID}. */
    public static Optional<LockInfo> parse(byte[] body) {
        try {
            JsonNode node = PLAIN.readTree(body);
            if (node == null || !node.path("ID").isTextual() || node.path("ID").asText().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new LockInfo(node.path("ID").asText(), node.path("Who").asText(""),
                    node.path("Operation").asText(""), node.path("Created").asText(""), body.clone()));
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
    }

    /** For messages: which lock, who holds it, doing what, since when. */
    public String describe() {
        return "lock " + id + " " + heldBy();
    }

    /** Who holds it, doing what, since when: without the lock's ID. */
    public String heldBy() {
        return "held by " + (who.isEmpty() ? "an unknown holder" : who)
                + (operation.isEmpty() ? "" : " (" + operation + ")") + (created.isEmpty() ? "" : " since " + created);
    }

    /**
     * The lock info as another client is shown it: Terraform's fields (who, operation, since, ...) as the
     * holder sent them, but not the ID. Terraform reads this into its lock info for its message; a missing
     * ID is only an empty one there.
     */
    public byte[] withoutId() {
        ObjectNode shown = PLAIN.createObjectNode();
        try {
            JsonNode node = PLAIN.readTree(json);
            for (String field : SHOWN) {
                if (node.has(field)) {
                    shown.set(field, node.get(field));
                }
            }
            return PLAIN.writeValueAsBytes(shown);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a parsed lock info is JSON", e);
        }
    }

    @Override
    public String toString() {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LockInfo lock && lock.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
