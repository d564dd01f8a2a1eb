package io.jenkins.plugins.berth.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state protocol over real HTTP: every status code Terraform's http backend relies on. */
class StateServerTest {
    private static final String KEY = "shop/app/shop-main";
    private static final String LOCK_A = "{\"ID\":\"aaaa-1111\",\"Operation\":\"OperationTypeApply\",\"Who\":\"alice@ci\","
            + "\"Version\":\"1.10.10\",\"Created\":\"2026-11-22T10:00:00Z\",\"Path\":\"\"}";
    private static final String LOCK_B = "{\"ID\":\"bbbb-2222\",\"Operation\":\"OperationTypePlan\",\"Who\":\"bob@laptop\"}";

    @TempDir
    Path folder;

    private StateStorage storage;
    private StateServer server;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        storage = new StateStorage(folder, 3);
        server = StateServer.start(storage);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> call(String method, String pathAndQuery, String body) throws Exception {
        return call(method, pathAndQuery, body, StateServer.USER + ":" + server.password());
    }

    private HttpResponse<String> call(String method, String pathAndQuery, String body, String credentials)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    credentials.getBytes(StandardCharsets.UTF_8)));
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theAddressIsOnLoopbackWithTheKey() {
        assertThat(server.address(KEY)).isEqualTo("http://127.0.0.1:" + server.port() + "/state/" + KEY);
    }

    @Test
    void withoutTheRightPasswordEverythingIs401() throws Exception {
        assertThat(call("GET", "/state/" + KEY, null, null).statusCode()).isEqualTo(401);
        HttpResponse<String> wrong = call("GET", "/state/" + KEY, null, "berth:guess");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"berth state\"");
        assertThat(call("POST", "/state/" + KEY, "{}", "berth:guess").statusCode()).isEqualTo(401);
        assertThat(storage.read(KEY)).isEmpty();
    }

    @Test
    void getIs204WhenEmptyAnd200WithTheStateOnceWritten() throws Exception {
        assertThat(call("GET", "/state/" + KEY, null).statusCode()).isEqualTo(204);
        assertThat(call("POST", "/state/" + KEY, "{\"serial\":1}").statusCode()).isEqualTo(200);
        HttpResponse<String> got = call("GET", "/state/" + KEY, null);
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).isEqualTo("{\"serial\":1}");
        assertThat(call("DELETE", "/state/" + KEY, null).statusCode()).isEqualTo(200);
        assertThat(call("GET", "/state/" + KEY, null).statusCode()).isEqualTo(204);
    }

    /** The holder's lock info as another client sees it: Terraform's fields, but never the ID. */
    private static void assertHolderWithoutId(HttpResponse<String> answer) throws Exception {
        assertThat(answer.body()).doesNotContain("aaaa-1111");
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
        com.fasterxml.jackson.databind.JsonNode shown = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(answer.body());
        assertThat(shown.has("ID")).isFalse();
        assertThat(shown.path("Who").asText()).isEqualTo("alice@ci");
        assertThat(shown.path("Operation").asText()).isEqualTo("OperationTypeApply");
        assertThat(shown.path("Created").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(shown.path("Version").asText()).isEqualTo("1.10.10");
    }

    @Test
    void lockConflictsAre423WithTheHolderButNotItsLockId() throws Exception {
        assertThat(call("LOCK", "/state/" + KEY, LOCK_A).statusCode()).isEqualTo(200);
        HttpResponse<String> conflict = call("LOCK", "/state/" + KEY, LOCK_B);
        assertThat(conflict.statusCode()).isEqualTo(423);
        assertHolderWithoutId(conflict);
        // The holder may lock again (idempotent), then unlock; then the other can lock.
        assertThat(call("LOCK", "/state/" + KEY, LOCK_A).statusCode()).isEqualTo(200);
        assertThat(call("UNLOCK", "/state/" + KEY, LOCK_A).statusCode()).isEqualTo(200);
        assertThat(call("LOCK", "/state/" + KEY, LOCK_B).statusCode()).isEqualTo(200);
    }

    @Test
    void writesAndUnlocksWithAnotherLockIdAre409WithoutTheHoldersIdAndChangeNothing() throws Exception {
        call("POST", "/state/" + KEY, "{\"serial\":1}");
        call("LOCK", "/state/" + KEY, LOCK_A);
        for (String query : new String[] {"", "?ID=bbbb-2222"}) {
            HttpResponse<String> write = call("POST", "/state/" + KEY + query, "{\"serial\":2}");
            assertThat(write.statusCode()).isEqualTo(409);
            assertHolderWithoutId(write);
            HttpResponse<String> delete = call("DELETE", "/state/" + KEY + query, null);
            assertThat(delete.statusCode()).isEqualTo(409);
            assertHolderWithoutId(delete);
        }
        HttpResponse<String> unlock = call("UNLOCK", "/state/" + KEY, LOCK_B);
        assertThat(unlock.statusCode()).isEqualTo(409);
        assertHolderWithoutId(unlock);
        assertThat(new String(storage.read(KEY).orElseThrow())).isEqualTo("{\"serial\":1}");
        assertThat(call("POST", "/state/" + KEY + "?ID=aaaa-1111", "{\"serial\":2}").statusCode()).isEqualTo(200);
        assertThat(new String(storage.read(KEY).orElseThrow())).isEqualTo("{\"serial\":2}");
        call("UNLOCK", "/state/" + KEY, LOCK_A);
        // A lock ID for a state nobody locks means the writer's lock was released under it: refused.
        assertThat(call("POST", "/state/" + KEY + "?ID=aaaa-1111", "{\"serial\":3}").statusCode()).isEqualTo(409);
    }

    @Test
    void badKeysBodiesMethodsAndPaths() throws Exception {
        assertThat(call("GET", "/state/../../etc/passwd", null).statusCode()).isIn(400, 404);
        assertThat(call("GET", "/state/Shop/App", null).statusCode()).isEqualTo(400);
        assertThat(call("LOCK", "/state/" + KEY, "not json").statusCode()).isEqualTo(400);
        assertThat(call("UNLOCK", "/state/" + KEY, "{}").statusCode()).isEqualTo(400);
        assertThat(call("PUT", "/state/" + KEY, "{}").statusCode()).isEqualTo(405);
        assertThat(call("GET", "/elsewhere", null).statusCode()).isEqualTo(404);
    }

    @Test
    void keepsTheLastVersionsAndWritesNoTemporaryFilesBehind() throws Exception {
        for (int serial = 1; serial <= 6; serial++) {
            assertThat(call("POST", "/state/" + KEY, "{\"serial\":" + serial + "}").statusCode()).isEqualTo(200);
        }
        assertThat(storage.versions(KEY)).hasSize(3);
        assertThat(Files.readString(storage.versions(KEY).get(2))).isEqualTo("{\"serial\":5}");
        assertThat(Files.readString(storage.versions(KEY).get(0))).isEqualTo("{\"serial\":3}");
        try (var files = Files.list(storage.folder(KEY))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("terraform.tfstate", "versions");
        }
    }

    /** Raw HTTP: what a client sends before its body, and the status line of the answer. */
    private Socket open(String method, String path, String... headers) throws Exception {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
        socket.setSoTimeout(20_000);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        socket.getOutputStream().write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private static String statusLine(Socket socket) throws Exception {
        java.io.InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    private String authorization() {
        return "Authorization: Basic " + Base64.getEncoder().encodeToString(
                (StateServer.USER + ":" + server.password()).getBytes(StandardCharsets.UTF_8));
    }

    /** A client that declares a terabyte and sends nothing is answered at once; it never gets to send it. */
    @Test
    void aHugeBodyIsRefusedBeforeItIsSent() throws Exception {
        try (Socket anonymous = open("POST", "/state/" + KEY, "Content-Length: 1099511627776");
                Socket wrong = open("LOCK", "/state/" + KEY, "Content-Length: 1099511627776",
                        "Authorization: Basic " + Base64.getEncoder().encodeToString("berth:guess".getBytes()));
                Socket authorized = open("POST", "/state/" + KEY, "Content-Length: 1099511627776", authorization())) {
            assertThat(statusLine(anonymous)).isEqualTo("HTTP/1.1 401 Unauthorized");
            assertThat(statusLine(wrong)).isEqualTo("HTTP/1.1 401 Unauthorized");
            assertThat(statusLine(authorized)).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
        }
        assertThat(storage.read(KEY)).isEmpty();
    }

    /** A chunked body, whose length nobody declared, is cut off one byte past the cap and refused. */
    @Test
    void aChunkedBodyPastTheCapIs413() throws Exception {
        try (Socket socket = open("POST", "/state/" + KEY, "Transfer-Encoding: chunked", authorization())) {
            Thread sender = new Thread(() -> {
                byte[] chunk = new byte[1024 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                try {
                    java.io.OutputStream out = socket.getOutputStream();
                    for (long sent = 0; sent <= StateBodies.MAX_STATE + 4L * chunk.length; sent += chunk.length) {
                        out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (java.io.IOException e) {
                    // The server stops reading past the cap and closes the connection: expected.
                }
            });
            sender.start();
            assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 413 Request Entity Too Large");
            sender.join(30_000);
        }
        assertThat(storage.read(KEY)).isEmpty();
    }

    /** At most StateBodies.READERS bodies are read at once; the next request is told to come back. */
    @Test
    void aServerBusyReadingBodiesAnswers503WithRetryAfterAndStillServesReads() throws Exception {
        StateBodies bodies = new StateBodies();
        List<Socket> slow = new java.util.ArrayList<>();
        try (StateServer busy = StateServer.start(new StateEndpoint(storage, StateEndpoint.Passwords.single("pw"),
                bodies))) {
            String auth = "Authorization: Basic " + Base64.getEncoder().encodeToString("berth:pw".getBytes());
            for (int i = 0; i < StateBodies.READERS; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), busy.port());
                socket.setSoTimeout(20_000);
                slow.add(socket);
                socket.getOutputStream().write(("POST /state/shop/app" + i + "/shop-main HTTP/1.1\r\nHost: x\r\n" + auth
                        + "\r\nContent-Length: 12\r\n\r\n{\"se").getBytes(StandardCharsets.US_ASCII));
            }
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
            while (bodies.freeReaders() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(bodies.freeReaders()).isZero();

            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(busy.address(KEY)))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("berth:pw".getBytes()));
            HttpResponse<String> refused = client.send(request.POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(client.send(request.GET().build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(204);

            for (Socket socket : slow) {
                socket.getOutputStream().write("rial\":1}".getBytes(StandardCharsets.US_ASCII));
                assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 200 OK");
            }
            assertThat(storage.read("shop/app0/shop-main")).hasValue("{\"serial\":1}".getBytes());
            assertThat(bodies.freeReaders()).isEqualTo(StateBodies.READERS);
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    /** Clients that keep their connections open after a refusal hold no thread: the server still answers. */
    @Test
    void refusedClientsThatSendNothingMoreHoldNoThread() throws Exception {
        List<Socket> silent = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 3 * StateServer.THREADS; i++) {
                Socket socket = open("POST", "/state/" + KEY, "Content-Length: 1099511627776");
                silent.add(socket);
                assertThat(statusLine(socket)).isEqualTo("HTTP/1.1 401 Unauthorized");
            }
            assertThat(call("GET", "/state/" + KEY, null).statusCode()).isEqualTo(204);
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
    }

    @Test
    void twoStoragesOnOneFolderShareLocks() throws Exception {
        // Two Berth processes serving one state folder: the lock is a file created atomically.
        StateStorage other = new StateStorage(folder, 3);
        assertThat(storage.tryLock(KEY, LockInfo.parse(LOCK_A.getBytes()).orElseThrow())).isEmpty();
        assertThat(other.tryLock(KEY, LockInfo.parse(LOCK_B.getBytes()).orElseThrow()))
                .map(LockInfo::describe)
                .hasValue("lock aaaa-1111 held by alice@ci (OperationTypeApply) since 2026-11-22T10:00:00Z");
        assertThat(other.forceUnlock(KEY)).map(LockInfo::id).hasValue("aaaa-1111");
        assertThat(storage.lock(KEY)).isEmpty();
    }
}
