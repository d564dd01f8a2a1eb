package io.jenkins.plugins.berth.terraform;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use which Terraform states: one random token per build, valid for the states of one
 * project ({@code <project>/...}) until the build ends and revokes it. Only a hash of each token is
 * kept, so a dump of this object gives no usable token, and a lookup by hash does not leak the
 * token through timing.
 */
public final class StateTokens {

    /** What a token allows: the states under {@code project/}, for the build that holds it. */
    public record Grant(String build, String project) {
        public boolean allows(String key) {
            return key.startsWith(project + "/");
        }
    }

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Grant> grantsByHash = new ConcurrentHashMap<>();

    /** A new token for {@code build}, good for the states of {@code project}. Treat it as a secret. */
    public String issue(String build, String project) {
        if (!StateStorage.isProject(project)) {
            throw new IllegalArgumentException("not a project name: '" + project + "'");
        }
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        grantsByHash.put(hash(token), new Grant(build, project));
        return token;
    }

    /** The grant of a live token. */
    public Optional<Grant> grant(String token) {
        return Optional.ofNullable(grantsByHash.get(hash(token)));
    }

    /** Ends every token of {@code build}; returns how many there were. */
    public int revoke(String build) {
        int before = grantsByHash.size();
        grantsByHash.values().removeIf(grant -> grant.build().equals(build));
        return before - grantsByHash.size();
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
