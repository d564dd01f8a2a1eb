package io.jenkins.plugins.berth.terraform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The CLI's embedded Terraform state server: {@link StateProtocol} on 127.0.0.1, a random port, and
 * HTTP Basic authentication with user {@code berth} and a random password, for the length of one
 * command. States live under {@code /state/<key>}.
 */
public final class StateServer implements AutoCloseable {

    public static final String USER = "berth";
    private static final String PREFIX = "/state/";
    /** A state larger than this is refused rather than read into memory. */
    private static final int MAX_BODY = 64 * 1024 * 1024;

    private final HttpServer server;
    private final ExecutorService executor;
    private final StateProtocol protocol;
    private final String password;

    private StateServer(HttpServer server, ExecutorService executor, StateProtocol protocol, String password) {
        this.server = server;
        this.executor = executor;
        this.protocol = protocol;
        this.password = password;
    }

    /** Starts serving {@code storage}; close it when the command ends. */
    public static StateServer start(StateStorage storage) throws IOException {
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "berth-state-server");
            thread.setDaemon(true);
            return thread;
        });
        StateServer stateServer = new StateServer(server, executor, new StateProtocol(storage), password);
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
        return password;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"berth state\"");
                send(exchange, StateProtocol.Response.of(401, "authentication required"));
                return;
            }
            String path = exchange.getRequestURI().getPath();
            if (!path.startsWith(PREFIX)) {
                send(exchange, StateProtocol.Response.of(404, "states live under " + PREFIX));
                return;
            }
            byte[] body = read(exchange.getRequestBody());
            if (body == null) {
                send(exchange, StateProtocol.Response.of(413, "a state may be at most " + MAX_BODY + " bytes"));
                return;
            }
            send(exchange, protocol.handle(exchange.getRequestMethod(), path.substring(PREFIX.length()),
                    lockId(exchange.getRequestURI().getRawQuery()), body));
        } catch (IOException | RuntimeException e) {
            send(exchange, StateProtocol.Response.of(500, "state server error: " + e.getMessage()));
        }
    }

    private boolean authorized(String header) {
        if (header == null || !header.startsWith("Basic ")) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring("Basic ".length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] expected = (USER + ":" + password).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, expected);
    }

    private static Optional<String> lockId(String rawQuery) {
        if (rawQuery == null) {
            return Optional.empty();
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.startsWith("ID=")) {
                return Optional.of(URLDecoder.decode(pair.substring(3), StandardCharsets.UTF_8));
            }
        }
        return Optional.empty();
    }

    /** The body, or null when it is larger than {@link #MAX_BODY}. */
    private static byte[] read(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static void send(HttpExchange exchange, StateProtocol.Response response) throws IOException {
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
    }
}
