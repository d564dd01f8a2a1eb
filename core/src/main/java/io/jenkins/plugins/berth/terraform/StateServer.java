package io.jenkins.plugins.berth.terraform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The CLI's embedded Terraform state server: {@link StateProtocol} on 127.0.0.1, a random port, and
 * HTTP Basic authentication with user {@code berth} and a random password, for the length of one
 * command, or an {@link StateEndpoint} with its own passwords. States live under {@code /state/<key>}.
 * {@value #THREADS} threads answer; the endpoint reads a body only once the request is authorized.
 */
public final class StateServer implements AutoCloseable {

    public static final String USER = StateEndpoint.USER;
    private static final String PREFIX = "/state/";
    /** Threads answering requests: more than {@link StateBodies#READERS}, so a busy server still answers 503. */
    static final int THREADS = 2 * StateBodies.READERS;
    /** Requests waiting for a thread; beyond that, connections are closed. */
    static final int QUEUED = 64;
    /** How long an answered exchange may wait for the rest of a body it did not read ({@link DrainCutoff}). */
    static final Duration LEFTOVER_WAIT = Duration.ofSeconds(2);

    private final HttpServer server;
    private final ExecutorService executor;
    private final ScheduledExecutorService cutoffs = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "berth-state-server-cutoffs");
        thread.setDaemon(true);
        return thread;
    });
    private final StateEndpoint endpoint;
    private final Optional<String> password;

    private StateServer(HttpServer server, ExecutorService executor, StateEndpoint endpoint, Optional<String> password) {
        this.server = server;
        this.executor = executor;
        this.endpoint = endpoint;
        this.password = password;
    }

    /** Starts serving {@code storage} with a random password; close it when the command ends. */
    public static StateServer start(StateStorage storage) throws IOException {
        String password = StateTokens.randomSecret();
        return start(new StateEndpoint(storage, StateEndpoint.Passwords.single(password)), Optional.of(password));
    }

    /** Serves an endpoint with its own passwords (the Jenkins plugin's per-build tokens, in tests). */
    public static StateServer start(StateEndpoint endpoint) throws IOException {
        return start(endpoint, Optional.empty());
    }

    private static StateServer start(StateEndpoint endpoint, Optional<String> password) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        // Bounded threads and queue: a request the queue cannot take is refused, and the JDK server closes
        // its connection, rather than a thread or a queue entry being made for every client that connects.
        ExecutorService executor = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED), runnable -> {
                    Thread thread = new Thread(runnable, "berth-state-server");
                    thread.setDaemon(true);
                    return thread;
                }, new ThreadPoolExecutor.AbortPolicy());
        StateServer stateServer = new StateServer(server, executor, endpoint, password);
        server.createContext("/", stateServer::handle);
        server.setExecutor(executor);
        server.start();
        return stateServer;
    }

    /** The address of a state, for Terraform's {@code address}, {@code lock_address}, {@code unlock_address}. */
    public String address(String key) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + PREFIX + key;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The run's password: a secret, masked like the others. */
    public String password() {
        return password.orElseThrow(() -> new IllegalStateException("this server checks its endpoint's passwords"));
    }

    private void handle(HttpExchange exchange) throws IOException {
        RequestBody body = new RequestBody(exchange);
        StateProtocol.Response response;
        try {
            response = answer(exchange, body);
        } catch (IOException | RuntimeException e) {
            response = StateProtocol.Response.of(500, "state server error: " + e.getMessage());
        }
        // Answered, the exchange reads what the client declared and the endpoint left unread: not for ever.
        try (DrainCutoff cutoff = body.pending() ? DrainCutoff.after(cutoffs, LEFTOVER_WAIT) : null; exchange) {
            send(exchange, response);
        }
    }

    private StateProtocol.Response answer(HttpExchange exchange, RequestBody body) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        if (!path.startsWith(PREFIX)) {
            return StateProtocol.Response.of(404, "states live under " + PREFIX);
        }
        return endpoint.handle(new StateEndpoint.Request(exchange.getRequestMethod(), path.substring(PREFIX.length()),
                Optional.ofNullable(exchange.getRequestURI().getRawQuery()),
                Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")), contentLength(exchange),
                body));
    }

    /** The declared length; empty when chunked (the JDK server refuses a request with both) or not given. */
    private static OptionalLong contentLength(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        // The JDK server has parsed it already and refused it with 400 if it was not a number.
        return declared == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(declared.trim()));
    }

    /** A request's body, opened when the endpoint asks for it, noting whether it was read to its end. */
    private static final class RequestBody implements StateBodies.Source {
        private final HttpExchange exchange;
        private final boolean declared;
        private volatile boolean ended;

        RequestBody(HttpExchange exchange) {
            this.exchange = exchange;
            this.declared = exchange.getRequestHeaders().containsKey("Transfer-Encoding")
                    || contentLength(exchange).orElse(0) > 0;
        }

        @Override
        public InputStream open() {
            return new FilterInputStream(exchange.getRequestBody()) {
                @Override
                public int read() throws IOException {
                    return noteEnd(super.read());
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    return noteEnd(super.read(buffer, offset, length));
                }
            };
        }

        private int noteEnd(int read) {
            ended |= read == -1;
            return read;
        }

        /** Whether the client declared bytes that were not read: the request was refused before, or past the cap. */
        boolean pending() {
            return declared && !ended;
        }
    }

    private static void send(HttpExchange exchange, StateProtocol.Response response) throws IOException {
        response.headers().forEach(exchange.getResponseHeaders()::set);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        if (response.body().length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
            return;
        }
        exchange.sendResponseHeaders(response.status(), response.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(response.body());
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        cutoffs.shutdownNow();
    }
}
