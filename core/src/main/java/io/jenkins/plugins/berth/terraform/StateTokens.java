package io.jenkins.plugins.berth.terraform;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use which Terraform states: one random token per build, valid for the states of its
 * {@link StateScope} (its own environment's, the shared stacks' as granted) until the build ends and
 * revokes it. Only a hash of each token is kept, so a dump of this object (or its file) gives no usable
 * token, and a lookup by hash does not leak the token through timing.
 *
 * <p>{@link #persistent} keeps the hashes in a file, so that a build whose {@code terraform apply} runs
 * through a Jenkins restart can still save its state afterwards. A grant older than {@link #MAX_AGE} is
 * worth nothing, in memory as in the file: the build of a grant never revoked (it did not survive a
 * restart, or its end was lost) must not hold it for ever.
 */
public final class StateTokens {

    /** How long a grant lives at most, revoked or not. */
    public static final Duration MAX_AGE = Duration.ofDays(2);

    /** What a token allows: the states of its scope, for the build that holds it. */
    public record Grant(String build, StateScope scope, Instant issuedAt) {
        public boolean allows(String method, String key) {
            return scope.allows(method, key);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Grant> grantsByHash = new ConcurrentHashMap<>();
    private final Optional<Path> file;
    private final Clock clock;

    /** Tokens in memory only. */
    public StateTokens() {
        this(Clock.systemUTC());
    }

    /** Tokens in memory only, aged by {@code clock}. */
    public StateTokens(Clock clock) {
        this(Optional.empty(), clock);
    }

    private StateTokens(Optional<Path> file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * Tokens whose hashes are kept in {@code file}, with the live grants it holds.
     *
     * @throws IOException when the file exists and cannot be read
     */
    public static StateTokens persistent(Path file, Clock clock) throws IOException {
        StateTokens tokens = new StateTokens(Optional.of(file), clock);
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                // Lines of another shape are dropped: the old four fields granted a whole project.
                readLine(line).filter(entry -> tokens.live(entry.getValue()))
                        .ifPresent(entry -> tokens.grantsByHash.put(entry.getKey(), entry.getValue()));
            }
        }
        return tokens;
    }

    /** {@code hash build project environment shared issuedAt}, as {@link #save} writes it; empty for another line. */
    private static Optional<Map.Entry<String, Grant>> readLine(String line) {
        String[] fields = line.split(" ", -1);
        if (fields.length != 6) {
            return Optional.empty();
        }
        try {
            StateScope scope = StateScope.parse(fields[2] + " " + fields[3] + " " + fields[4]);
            return Optional.of(Map.entry(fields[0], new Grant(fields[1], scope, Instant.parse(fields[5]))));
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** A new token for {@code build}, good for the states of {@code scope}. Treat it as a secret. */
    public String issue(String build, StateScope scope) {
        // One word: the file's fields are separated by spaces.
        if (build.isEmpty() || build.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("a build for a state token is one word, not '" + build + "'");
        }
        String token = randomSecret();
        grantsByHash.values().removeIf(grant -> !live(grant));
        grantsByHash.put(hash(token), new Grant(build, scope, clock.instant()));
        save();
        return token;
    }

    /** The grant of a live token: issued, not revoked, and younger than {@link #MAX_AGE}. */
    public Optional<Grant> grant(String token) {
        return Optional.ofNullable(grantsByHash.get(hash(token))).filter(this::live);
    }

    private boolean live(Grant grant) {
        return grant.issuedAt().isAfter(clock.instant().minus(MAX_AGE));
    }

    /** 24 random bytes in hex: a token, or the command line's state server password. */
    static String randomSecret() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Ends every token of {@code build}; returns how many there were. */
    public int revoke(String build) {
        int before = grantsByHash.size();
        grantsByHash.values().removeIf(grant -> grant.build().equals(build));
        save();
        return before - grantsByHash.size();
    }

    /** Writes the hashes and grants, whole, through a temporary file so a reader never sees half of it. */
    private synchronized void save() {
        if (file.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        grantsByHash.forEach((hash, grant) -> lines.append(hash).append(' ').append(grant.build()).append(' ')
                .append(grant.scope()).append(' ').append(grant.issuedAt()).append('\n'));
        try {
            Path target = file.get();
            Files.createDirectories(target.getParent());
            Path next = target.resolveSibling(target.getFileName() + ".next");
            Files.writeString(next, lines, StandardCharsets.UTF_8);
            Files.move(next, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("berth: could not save the state tokens to " + file.get(), e);
        }
    }

    private static String hash(String token) {
        return io.jenkins.plugins.berth.Sha256.hex(token);
    }
}
