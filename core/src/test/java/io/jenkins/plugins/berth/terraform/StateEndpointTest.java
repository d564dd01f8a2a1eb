package io.jenkins.plugins.berth.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.terraform.StateScope.SharedAccess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint's order of work, with real storage and tokens and bodies that count what is taken from
 * them: authentication and authorization before a byte of the body, the declared length before reading,
 * a hard cap while reading, and a bound on how many bodies are read at once.
 */
class StateEndpointTest {
    private static final String KEY = "shop/app/shop-main";
    private static final long TIB = 1L << 40;

    @TempDir
    Path folder;

    private final StateTokens tokens = new StateTokens();
    private StateStorage storage;
    private String token;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() {
        storage = new StateStorage(folder, 3);
        token = tokens.issue("shop/main#1", new StateScope("shop", "shop-main", SharedAccess.WRITE));
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    /** A body of any length that is never held in memory, and counts how often it is opened and read. */
    private static final class CountingBody implements StateBodies.Source {
        final AtomicInteger opened = new AtomicInteger();
        final AtomicLong read = new AtomicLong();
        private final long length;

        CountingBody(long length) {
            this.length = length;
        }

        @Override
        public InputStream open() {
            opened.incrementAndGet();
            return new InputStream() {
                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0];
                }

                @Override
                public int read(byte[] buffer, int offset, int count) {
                    long left = length - read.get();
                    if (left <= 0) {
                        return -1;
                    }
                    int n = (int) Math.min(count, left);
                    java.util.Arrays.fill(buffer, offset, offset + n, (byte) '{');
                    read.addAndGet(n);
                    return n;
                }
            };
        }
    }

    private static Optional<String> basic(String password) {
        return Optional.of("Basic " + Base64.getEncoder().encodeToString(("berth:" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static StateEndpoint.Request request(String method, String key, Optional<String> authorization,
            OptionalLong declared, StateBodies.Source body) {
        return new StateEndpoint.Request(method, key, Optional.empty(), authorization, declared, body);
    }

    @Test
    void noByteOfABodyIsReadBeforeTheRequestIsAuthenticatedAndAuthorized() throws IOException {
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens));
        for (String method : List.of("POST", "LOCK", "UNLOCK")) {
            for (OptionalLong declared : List.of(OptionalLong.of(TIB), OptionalLong.empty())) {
                CountingBody none = new CountingBody(TIB);
                assertThat(endpoint.handle(request(method, KEY, Optional.empty(), declared, none)).status()).isEqualTo(401);
                CountingBody wrong = new CountingBody(TIB);
                assertThat(endpoint.handle(request(method, KEY, basic("guess"), declared, wrong)).status()).isEqualTo(401);
                CountingBody elsewhere = new CountingBody(TIB);
                assertThat(endpoint.handle(request(method, "shop/app/shop-pr-1", basic(token), declared, elsewhere))
                        .status()).isEqualTo(403);
                for (CountingBody body : List.of(none, wrong, elsewhere)) {
                    assertThat(body.opened).hasValue(0);
                    assertThat(body.read).hasValue(0);
                }
            }
        }
    }

    @Test
    void aDeclaredLengthOverTheCapIs413BeforeReadingAndOnlyMethodsWithABodyReadOne() throws IOException {
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens));
        CountingBody state = new CountingBody(TIB);
        StateProtocol.Response tooLarge = endpoint.handle(request("POST", KEY, basic(token),
                OptionalLong.of(StateBodies.MAX_STATE + 1L), state));
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(new String(tooLarge.body(), StandardCharsets.UTF_8)).contains(Integer.toString(StateBodies.MAX_STATE));
        CountingBody lock = new CountingBody(TIB);
        assertThat(endpoint.handle(request("LOCK", KEY, basic(token), OptionalLong.of(StateBodies.MAX_LOCK + 1L), lock))
                .status()).isEqualTo(413);
        // GET and DELETE take no body: whatever comes with them is left unread.
        CountingBody withGet = new CountingBody(TIB);
        assertThat(endpoint.handle(request("GET", KEY, basic(token), OptionalLong.of(TIB), withGet)).status()).isEqualTo(204);
        CountingBody withDelete = new CountingBody(TIB);
        assertThat(endpoint.handle(request("DELETE", KEY, basic(token), OptionalLong.empty(), withDelete)).status())
                .isEqualTo(200);
        // The one password of the command line's server: a bad key or method is answered before the body too.
        StateEndpoint single = new StateEndpoint(storage, StateEndpoint.Passwords.single("pw"));
        CountingBody badKey = new CountingBody(TIB);
        assertThat(single.handle(request("POST", "Shop/App", basic("pw"), OptionalLong.empty(), badKey)).status())
                .isEqualTo(400);
        CountingBody badMethod = new CountingBody(TIB);
        assertThat(single.handle(request("PUT", KEY, basic("pw"), OptionalLong.empty(), badMethod)).status())
                .isEqualTo(405);
        for (CountingBody body : List.of(state, lock, withGet, withDelete, badKey, badMethod)) {
            assertThat(body.opened).hasValue(0);
            assertThat(body.read).hasValue(0);
        }
    }

    @Test
    void aBodyWithoutADeclaredLengthIsReadOneByteOverTheCapAndNoFurther() throws IOException {
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens),
                new StateBodies(1000, 2, Duration.ofMillis(100)));
        CountingBody chunked = new CountingBody(TIB);
        assertThat(endpoint.handle(request("POST", KEY, basic(token), OptionalLong.empty(), chunked)).status())
                .isEqualTo(413);
        assertThat(chunked.read).hasValue(1001);
        // A declared length that lies (the server gives more) is held to the cap as well.
        CountingBody lying = new CountingBody(5000);
        assertThat(endpoint.handle(request("POST", KEY, basic(token), OptionalLong.of(10), lying)).status())
                .isEqualTo(413);
        assertThat(lying.read).hasValue(1001);
        assertThat(storage.read(KEY)).isEmpty();
        // At the cap it is a state.
        CountingBody exact = new CountingBody(1000);
        assertThat(endpoint.handle(request("POST", KEY, basic(token), OptionalLong.empty(), exact)).status())
                .isEqualTo(200);
        assertThat(storage.read(KEY)).hasValueSatisfying(state -> assertThat(state).hasSize(1000));
    }

    /** Many huge requests at once without a password: none of them costs a byte read or buffered. */
    @Test
    void parallelOversizedUnauthenticatedRequestsBufferNothing() throws Exception {
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens));
        List<CountingBody> bodies = new ArrayList<>();
        List<Future<Integer>> answers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int i = 0; i < 64; i++) {
            CountingBody body = new CountingBody(TIB);
            bodies.add(body);
            Optional<String> authorization = i % 2 == 0 ? Optional.empty() : basic("guess-" + i);
            OptionalLong declared = i % 4 < 2 ? OptionalLong.of(TIB) : OptionalLong.empty();
            answers.add(threads.submit(() -> {
                start.await();
                return endpoint.handle(request("POST", KEY, authorization, declared, body)).status();
            }));
        }
        start.countDown();
        for (Future<Integer> answer : answers) {
            assertThat(answer.get(30, TimeUnit.SECONDS)).isEqualTo(401);
        }
        assertThat(bodies).allSatisfy(body -> {
            assertThat(body.opened).hasValue(0);
            assertThat(body.read).hasValue(0);
        });
    }

    /** A body that hands out its first bytes, then waits until it is let go: a slow client. */
    private static final class SlowBody implements StateBodies.Source {
        final CountDownLatch reading = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public InputStream open() {
            return new InputStream() {
                private final byte[] content = "{}".getBytes(StandardCharsets.UTF_8);
                private int sent;

                @Override
                public int read() throws IOException {
                    reading.countDown();
                    try {
                        if (!release.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("never released");
                        }
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                    return sent < content.length ? content[sent++] : -1;
                }
            };
        }
    }

    @Test
    void atMostReadersBodiesAreReadAtOnceOthersAre503WithRetryAfter() throws Exception {
        StateBodies bodies = new StateBodies(StateBodies.MAX_STATE, 2, Duration.ofMillis(200));
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens), bodies);
        SlowBody first = new SlowBody();
        SlowBody second = new SlowBody();
        Future<Integer> one = threads.submit(() -> endpoint.handle(request("POST", KEY, basic(token),
                OptionalLong.empty(), first)).status());
        Future<Integer> two = threads.submit(() -> endpoint.handle(request("POST", "shop/web/shop-main", basic(token),
                OptionalLong.empty(), second)).status());
        assertThat(first.reading.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(second.reading.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(bodies.freeReaders()).isZero();

        CountingBody third = new CountingBody(10);
        StateProtocol.Response busy = endpoint.handle(request("POST", "shop/db/shop-main", basic(token),
                OptionalLong.of(10), third));
        assertThat(busy.status()).isEqualTo(503);
        assertThat(busy.headers()).containsEntry("Retry-After", "1");
        assertThat(third.opened).hasValue(0);
        // A request without a body needs no reader: it is answered while the readers are busy.
        assertThat(endpoint.handle(request("GET", KEY, basic(token), OptionalLong.empty(), new CountingBody(0)))
                .status()).isEqualTo(204);

        // One that comes while a reader frees within the wait gets it.
        Future<Integer> waiting = threads.submit(() -> endpoint.handle(request("POST", "shop/db/shop-main",
                basic(token), OptionalLong.of(2), new CountingBody(2))).status());
        first.release.countDown();
        assertThat(one.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        second.release.countDown();
        assertThat(two.get(10, TimeUnit.SECONDS)).isEqualTo(200);
        assertThat(bodies.freeReaders()).isEqualTo(2);
        assertThat(storage.read(KEY)).hasValue("{}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aFailingBodyGivesItsReaderBack() {
        StateBodies bodies = new StateBodies(StateBodies.MAX_STATE, 1, Duration.ofMillis(100));
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens), bodies);
        StateBodies.Source broken = () -> {
            throw new IOException("connection reset");
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> endpoint.handle(request("POST", KEY, basic(token),
                OptionalLong.of(10), broken))).hasMessage("connection reset");
        assertThat(bodies.freeReaders()).isEqualTo(1);
    }
}
