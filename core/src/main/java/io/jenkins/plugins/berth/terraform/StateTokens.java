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
 * Who may use which Terraform states: one random token per build, valid for the states of one
 * project ({@code <project>/...}), or of one of its environments, until the build ends and revokes it.
 * Only a hash of each token is kept, so a dump of this object (or its file) gives no usable token, and a
 * lookup by hash does not leak the token through timing.
 *
 * <p>{@link #persistent} keeps the hashes in a file, so that a build whose {@code terraform apply} runs
 * through a Jenkins restart can still save its state afterwards. A grant older than {@link #MAX_AGE} is
 * dropped when the file is read: the build of a grant never revoked (it did not survive the restart)
 * must not hold it for ever.
 */
public final class StateTokens {

    /** How long a grant outlives a restart at most. */
    public static final Duration MAX_AGE = Duration.ofDays(2);

    /** The last segment of a shared stack's state key, {@code <project>/<stack>/_shared}. */
    static final String SHARED = "_shared";

    /**
     * What a token allows, for the build that holds it: the states under {@code project/}, or with an
     * {@code environment} only that environment's ({@code <project>/<stack>/<environment>}) and, to read, the
     * shared stacks' ({@code <project>/<stack>/_shared}): what a pull request's deploy may use.
     */
    public record Grant(String build, String project, Optional<String> environment, Instant issuedAt) {
        public Grant(String build, String project, Instant issuedAt) {
            this(build, project, Optional.empty(), issuedAt);
        }

        /** Whether the token may read the state {@code key} or, when {@code write}, also lock, save or delete it. */
        public boolean allows(String key, boolean write) {
            if (!key.startsWith(project + "/")) {
                return false;
            }
            if (environment.isEmpty()) {
                return true;
            }
            String[] segments = key.split("/", -1);
            return segments.length == 3 && (segments[2].equals(environment.get())
                    || (!write && segments[2].equals(SHARED)));
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Grant> grantsByHash = new ConcurrentHashMap<>();
    private final Optional<Path> file;
    private final Clock clock;

    /** Tokens in memory only (the command line's own server). */
    public StateTokens() {
        this(Optional.empty(), Clock.systemUTC());
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
            Instant oldest = clock.instant().minus(MAX_AGE);
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] fields = line.split(" ");
                if (fields.length == 4 || fields.length == 5) {
                    Grant grant = new Grant(fields[1], fields[2],
                            fields.length == 5 ? Optional.of(fields[4]) : Optional.empty(), Instant.parse(fields[3]));
                    if (grant.issuedAt().isAfter(oldest)) {
                        tokens.grantsByHash.put(fields[0], grant);
                    }
                }
            }
        }
        return tokens;
    }

    /** A new token for {@code build}, good for the states of {@code project}. Treat it as a secret. */
    public String issue(String build, String project) {
        return issue(build, project, Optional.empty());
    }

    /**
     * A new token for {@code build}, good for the states of {@code project} or, with {@code environment}, only
     * for that environment's and for reading the shared stacks' ({@link Grant}). Treat it as a secret.
     */
    public String issue(String build, String project, Optional<String> environment) {
        if (!StateStorage.isProject(project)) {
            throw new IllegalArgumentException("not a project name: '" + project + "'");
        }
        if (environment.isPresent() && (!StateStorage.isProject(environment.get())
                || environment.get().equals(SHARED))) {
            throw new IllegalArgumentException("not an environment name: '" + environment.get() + "'");
        }
        String token = randomSecret();
        grantsByHash.put(hash(token), new Grant(build, project, environment, clock.instant()));
        save();
        return token;
    }

    /** The grant of a live token. */
    public Optional<Grant> grant(String token) {
        return Optional.ofNullable(grantsByHash.get(hash(token)));
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
                .append(grant.project()).append(' ').append(grant.issuedAt())
                .append(grant.environment().map(environment -> " " + environment).orElse("")).append('\n'));
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
