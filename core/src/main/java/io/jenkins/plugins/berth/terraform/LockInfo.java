package io.jenkins.plugins.berth.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A Terraform state lock as Terraform sends it ({@code {"ID", "Operation", "Who", "Created", ...}}). The
 * raw JSON is kept as received, since it is handed back to the next locker on a conflict.
 */
public record LockInfo(String id, String who, String operation, String created, byte[] json) {

    private static final ObjectMapper PLAIN = new ObjectMapper();

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

    /** For messages: who holds it, doing what, since when. */
    public String describe() {
        return "lock " + id + " held by " + (who.isEmpty() ? "an unknown holder" : who)
                + (operation.isEmpty() ? "" : " (" + operation + ")") + (created.isEmpty() ? "" : " since " + created);
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
