import com.sun.net.httpserver.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The app's tests, plain Java so the quickstart needs nothing but a JDK. Exits 1 on the first failure. */
public final class HelloTest {

    public static void main(String[] args) throws Exception {
        HttpServer server = Hello.start(0, "Hi there", "t0ken");
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        try {
            check(get(base + "/", null), 200, "Hi there");
            check(get(base + "/health", null), 200, "ok");
            check(get(base + "/admin", null), 401, "unauthorized");
            check(get(base + "/admin", "wrong"), 401, "unauthorized");
            check(get(base + "/admin", "t0ken"), 200, "admin");
            System.out.println("5 checks passed");
        } finally {
            server.stop(0);
        }
    }

    static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void check(HttpResponse<String> response, int status, String body) {
        if (response.statusCode() != status || !response.body().strip().equals(body)) {
            System.out.println("FAILED " + response.uri() + ": expected " + status + " '" + body + "', got "
                    + response.statusCode() + " '" + response.body().strip() + "'");
            System.exit(1);
        }
    }
}
