import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Checks the running app: java test/Smoke.java URL GREETING TOKEN. Exits 1 when it does not answer as expected. */
public final class Smoke {

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        String home = client.send(HttpRequest.newBuilder(URI.create(args[0])).build(),
                HttpResponse.BodyHandlers.ofString()).body().strip();
        int admin = client.send(HttpRequest.newBuilder(URI.create(args[0] + "admin"))
                .header("Authorization", "Bearer " + args[2]).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
        System.out.println("GET / -> " + home);
        System.out.println("GET /admin -> " + admin);
        if (!home.equals(args[1]) || admin != 200) {
            System.out.println("smoke test failed");
            System.exit(1);
        }
    }
}
