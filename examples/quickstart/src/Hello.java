import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The quickstart app: a greeting on /, "ok" on /health, and /admin behind a bearer token. */
public final class Hello {

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8765"));
        start(port, System.getenv().getOrDefault("GREETING", "Hello"), System.getenv().getOrDefault("API_TOKEN", ""));
        System.out.println("listening on port " + port);
    }

    /** Starts the server; port 0 picks a free one. */
    public static HttpServer start(int port, String greeting, String token) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/health", exchange -> reply(exchange, 200, "ok"));
        server.createContext("/admin", exchange -> {
            boolean allowed = !token.isEmpty()
                    && ("Bearer " + token).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            reply(exchange, allowed ? 200 : 401, allowed ? "admin" : "unauthorized");
        });
        server.createContext("/", exchange -> reply(exchange, 200, greeting));
        server.start();
        return server;
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
