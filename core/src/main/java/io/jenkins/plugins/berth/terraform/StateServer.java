package io.jenkins.plugins.berth.terraform;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The CLI's embedded Terraform state server: {@link StateProtocol} on 127.0.0.1, a random port, and
 * HTTP Basic authentication with user {@code berth} and a random password, for the length of one
 * command, or an {@link StateEndpoint} with its own passwords. States live under {@code /state/<key>}.
 */
public final class StateServer implements AutoCloseable {

    public static final String USER = StateEndpoint.USER;
    private static final String PREFIX = "/state/";

    private final HttpServer server;
    private final ExecutorService executor;
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
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "berth-state-server");
            thread.setDaemon(true);
            return thread;
        });
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
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!path.startsWith(PREFIX)) {
                send(exchange, StateProtocol.Response.of(404, "states live under " + PREFIX));
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(StateEndpoint.MAX_BODY + 1);
            StateProtocol.Response response = endpoint.handle(new StateEndpoint.Request(exchange.getRequestMethod(),
                    path.substring(PREFIX.length()), Optional.ofNullable(exchange.getRequestURI().getRawQuery()),
                    Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")), body));
            if (response.status() == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"berth state\"");
            }
            send(exchange, response);
        } catch (IOException | RuntimeException e) {
            send(exchange, StateProtocol.Response.of(500, "state server error: " + e.getMessage()));
        }
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
