package io.jenkins.plugins.berth.terraform;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads the bodies of state requests within bounds, so that no client can fill the heap: a body is
 * refused (413) when its declared length is over the cap, before a byte is read, and when it goes past
 * the cap while being read (a chunked body); and at most {@link #READERS} requests read or hold a body
 * at once. A request that finds them all busy waits up to {@link #WAIT} for one, then is answered 503
 * with {@code Retry-After} (Terraform's http backend retries a 503 twice, after the time it says).
 *
 * <p>One instance per server: its permits are shared by every request the server answers.
 */
public final class StateBodies {

    /** A state larger than this is refused rather than read into memory. */
    public static final int MAX_STATE = 64 * 1024 * 1024;
    /** Terraform's lock info is a few hundred bytes: a lock body larger than this is no lock. */
    public static final int MAX_LOCK = 64 * 1024;
    /** How many requests may read or hold a body at once. */
    public static final int READERS = 4;
    /** How long a request waits for a reader before it is told to come back. */
    public static final Duration WAIT = Duration.ofSeconds(2);
    /** What the 503 tells the client to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 1;

    /** Where a body comes from: opened only once the request may send one. */
    @FunctionalInterface
    public interface Source {
        InputStream open() throws IOException;
    }

    /** What to do with a body once read (within the bounds, holding a reader). */
    @FunctionalInterface
    interface Use {
        StateProtocol.Response with(byte[] body) throws IOException;
    }

    private final int maxState;
    private final Semaphore readers;
    private final Duration wait;

    public StateBodies() {
        this(MAX_STATE, READERS, WAIT);
    }

    /** Other bounds, for tests. */
    StateBodies(int maxState, int readers, Duration wait) {
        this.maxState = maxState;
        this.readers = new Semaphore(readers, true);
        this.wait = wait;
    }

    /** The cap of a method's body: a state for {@code POST}, lock info for {@code LOCK} and {@code UNLOCK}. */
    int max(String method) {
        return method.equals("POST") ? maxState : Math.min(MAX_LOCK, maxState);
    }

    /**
     * Reads the body of a {@code method} request declared {@code declared} bytes long (empty when chunked)
     * and hands it to {@code use}, or answers 413 or 503 without handing it on.
     */
    StateProtocol.Response read(String method, OptionalLong declared, Source source, Use use) throws IOException {
        int max = max(method);
        if (declared.isPresent() && declared.getAsLong() > max) {
            return tooLarge(method, max);
        }
        if (!acquire()) {
            return StateProtocol.Response.of(503, "the state server is busy with other states; try again")
                    .withHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        }
        try {
            // Grows with what arrives, not with what was declared: a client that declares much and sends
            // little costs little. One byte over the cap is enough to refuse it.
            InputStream in = source.open();
            byte[] body = in.readNBytes(max + 1);
            if (body.length > max) {
                return tooLarge(method, max);
            }
            return use.with(body);
        } finally {
            readers.release();
        }
    }

    private boolean acquire() {
        try {
            return readers.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static StateProtocol.Response tooLarge(String method, int max) {
        return StateProtocol.Response.of(413, "the body of a " + method + " may be at most " + max + " bytes");
    }

    /** For tests: how many readers are free now. */
    int freeReaders() {
        return readers.availablePermits();
    }
}
