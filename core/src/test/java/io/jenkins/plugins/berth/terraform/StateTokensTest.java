package io.jenkins.plugins.berth.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jenkins.plugins.berth.terraform.StateScope.SharedAccess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-build state tokens, the way the Jenkins plugin serves states: real OpenTofu and the JDK's HTTP
 * client talk to the {@link StateEndpoint} through the CLI's HTTP server, with a token for one
 * environment's states (and its project's shared stacks) only.
 */
class StateTokensTest {
    private static final String SHOP_KEY = "shop/app/shop-main";
    private static final String LOCK = "{\"ID\":\"lock-1\",\"Operation\":\"OperationTypeApply\",\"Who\":\"ci\"}";

    @TempDir
    Path folder;

    private final StateTokens tokens = new StateTokens();
    private final HttpClient client = HttpClient.newHttpClient();
    private StateStorage storage;
    private StateServer server;

    @BeforeEach
    void start() throws IOException {
        storage = new StateStorage(folder.resolve("states"), 3);
        server = StateServer.start(new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static StateScope scope(String project, String environment, SharedAccess shared) {
        return new StateScope(project, environment, shared);
    }

    @Test
    void aTokenServesItsEnvironmentsStatesUntilRevoked() throws Exception {
        String shop = tokens.issue("shop/main#7", scope("shop", "shop-main", SharedAccess.WRITE));
        String blog = tokens.issue("blog/main#3", scope("blog", "blog-main", SharedAccess.WRITE));
        String pullRequest = tokens.issue("shop/PR-1#2", scope("shop", "shop-pr-1", SharedAccess.WRITE));

        Result applied = tofu(shop, SHOP_KEY, "apply", "-auto-approve", "-input=false");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        byte[] state = storage.read(SHOP_KEY).orElseThrow();
        assertThat(new String(state, StandardCharsets.UTF_8)).contains("terraform_data");

        Result otherProject = tofu(blog, SHOP_KEY, "plan", "-input=false");
        assertThat(otherProject.exitCode()).isNotZero();
        assertThat(otherProject.output()).contains("invalid auth"); // tofu's words for 403
        // A pull request's token, of the same project, cannot read main's state, let alone change it.
        Result otherEnvironment = tofu(pullRequest, SHOP_KEY, "apply", "-auto-approve", "-input=false");
        assertThat(otherEnvironment.exitCode()).isNotZero();
        assertThat(otherEnvironment.output()).contains("invalid auth");

        assertThat(tokens.revoke("shop/main#7")).isEqualTo(1);
        Result revoked = tofu(shop, SHOP_KEY, "plan", "-input=false");
        assertThat(revoked.exitCode()).isNotZero();
        assertThat(revoked.output()).contains("requires auth"); // and for 401
        assertThat(storage.read(SHOP_KEY).orElseThrow()).isEqualTo(state);

        // The token is a secret: it is in no state, lock, version or Terraform file.
        for (Result result : List.of(applied, otherProject, otherEnvironment, revoked)) {
            assertThat(result.output()).doesNotContain(shop).doesNotContain(blog).doesNotContain(pullRequest);
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(shop).doesNotContain(blog).doesNotContain(pullRequest);
            }
        }
    }

    /**
     * OpenTofu meeting a state another holds: its message still says who holds it, doing what, since when,
     * but the lock ID, with which it could unlock or overwrite the state, is not given.
     */
    @Test
    void terraformIsToldWhoHoldsALockButNotItsId() throws Exception {
        String lockId = "4f6d1f0e-9c1b-4b9e-a7c3-held-by-alice";
        assertThat(storage.tryLock(SHOP_KEY, LockInfo.parse(("{\"ID\":\"" + lockId + "\",\"Operation\":"
                + "\"OperationTypeApply\",\"Who\":\"alice@ci\",\"Version\":\"1.10.10\","
                + "\"Created\":\"2026-11-22T10:00:00Z\",\"Path\":\"\",\"Info\":\"\"}").getBytes()).orElseThrow())).isEmpty();
        String token = tokens.issue("shop/main#9", scope("shop", "shop-main", SharedAccess.WRITE));

        Result planned = tofu(token, SHOP_KEY, "plan", "-input=false");
        assertThat(planned.exitCode()).isNotZero();
        assertThat(planned.output()).contains("already locked").contains("alice@ci").contains("OperationTypeApply")
                .doesNotContain(lockId);
        assertThat(storage.lock(SHOP_KEY)).map(LockInfo::id).hasValue(lockId);
    }

    /**
     * Every method of the protocol, over real HTTP: a token opens its own environment's states in every
     * stack, the shared stacks' to read only (or also to change when granted), and nothing else; a refusal
     * names neither the state asked for nor its data.
     */
    @Test
    void aTokenOpensItsOwnEnvironmentAndTheSharedStacksAsGranted() throws Exception {
        storage.write("shop/app/shop-main", "{\"serial\":1,\"secret\":\"main-data\"}".getBytes(), Optional.empty());
        storage.write("shop/db/_shared", "{\"serial\":1}".getBytes(), Optional.empty());
        String reader = tokens.issue("shop/PR-1#2", scope("shop", "shop-pr-1", SharedAccess.READ));
        String writer = tokens.issue("shop/main#8", scope("shop", "shop-main", SharedAccess.WRITE));

        for (String key : List.of("shop/app/shop-pr-1", "shop/db/shop-pr-1")) {
            assertThat(statuses(reader, key)).as(key).containsExactly(204, 200, 200, 200, 200, 200);
        }
        assertThat(statuses(writer, "shop/web/shop-main")).containsExactly(204, 200, 200, 200, 200, 200);
        // Shared stacks: GET only with READ, everything with WRITE.
        assertThat(call(reader, "GET", "shop/db/_shared", null).statusCode()).isEqualTo(200);
        for (String[] request : List.of(new String[] {"POST", "{}"}, new String[] {"DELETE", null},
                new String[] {"LOCK", LOCK}, new String[] {"UNLOCK", LOCK})) {
            assertThat(call(reader, request[0], "shop/db/_shared", request[1]).statusCode()).as(request[0]).isEqualTo(403);
        }
        assertThat(storage.read("shop/db/_shared")).hasValue("{\"serial\":1}".getBytes());
        assertThat(storage.lock("shop/db/_shared")).isEmpty();
        assertThat(statuses(writer, "shop/cache/_shared")).containsExactly(204, 200, 200, 200, 200, 200);

        // Another environment of the project, another project, another shape of key, another method: 403.
        for (String key : List.of("shop/app/shop-main", "shop/app/shop-pr-12", "blog/app/shop-pr-1",
                "shop/shop-pr-1", "shop/app/shop-pr-1/x", "shop/app/_shared/shop-pr-1")) {
            for (String method : List.of("GET", "POST", "DELETE", "LOCK", "UNLOCK")) {
                HttpResponse<String> refused = call(reader, method, key, method.equals("GET") ? null : LOCK);
                assertThat(refused.statusCode()).as(method + " " + key).isEqualTo(403);
                assertThat(refused.body()).doesNotContain("main-data").doesNotContain("shop-main")
                        .doesNotContain(key).doesNotContain(reader);
            }
        }
        assertThat(call(reader, "PUT", "shop/app/shop-pr-1", "{}").statusCode()).isEqualTo(403);
        assertThat(storage.read("shop/app/shop-main")).hasValue("{\"serial\":1,\"secret\":\"main-data\"}".getBytes());
    }

    /** GET, POST, GET, LOCK, POST with the lock, UNLOCK on an empty key: the statuses. */
    private List<Integer> statuses(String token, String key) throws Exception {
        List<Integer> statuses = new java.util.ArrayList<>();
        statuses.add(call(token, "GET", key, null).statusCode());
        statuses.add(call(token, "POST", key, "{\"serial\":1}").statusCode());
        statuses.add(call(token, "GET", key, null).statusCode());
        statuses.add(call(token, "LOCK", key, LOCK).statusCode());
        statuses.add(call(token, "POST", key + "?ID=lock-1", "{\"serial\":2}").statusCode());
        statuses.add(call(token, "UNLOCK", key, LOCK).statusCode());
        assertThat(call(token, "DELETE", key, null).statusCode()).isEqualTo(200);
        return statuses;
    }

    private HttpResponse<String> call(String token, String method, String keyAndQuery, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.address(keyAndQuery)))
                .header("Authorization", basic("berth", token))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theEndpointAnswers401WithoutAKnownTokenAnd403OutsideTheScope() throws IOException {
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens));
        String token = tokens.issue("shop/main#8", scope("shop", "shop-main", SharedAccess.READ));

        assertThat(status(endpoint, SHOP_KEY, Optional.empty())).isEqualTo(401);
        assertThat(status(endpoint, SHOP_KEY, Optional.of(basic("berth", "not-a-token")))).isEqualTo(401);
        assertThat(status(endpoint, SHOP_KEY, Optional.of(basic("admin", token)))).isEqualTo(401);
        assertThat(status(endpoint, SHOP_KEY, Optional.of("Bearer " + token))).isEqualTo(401);
        assertThat(status(endpoint, "blog/app/blog-main", Optional.of(basic("berth", token)))).isEqualTo(403);
        // "shopping" shares a beginning with "shop" but is another project.
        assertThat(status(endpoint, "shopping/app/shop-main", Optional.of(basic("berth", token)))).isEqualTo(403);
        // Nor is "shop-main-2" the environment "shop-main".
        assertThat(status(endpoint, "shop/app/shop-main-2", Optional.of(basic("berth", token)))).isEqualTo(403);
        assertThat(status(endpoint, SHOP_KEY, Optional.of(basic("berth", token)))).isEqualTo(204);
    }

    @Test
    void persistentTokensOutliveARestartForAWhileAndTheFileHoldsNoUsableToken() throws IOException {
        Path file = folder.resolve("tokens/tokens.txt");
        java.time.Instant issued = java.time.Instant.parse("2026-11-29T10:00:00Z");
        StateTokens before = StateTokens.persistent(file, java.time.Clock.fixed(issued, java.time.ZoneOffset.UTC));
        String shop = before.issue("build-1", scope("shop", "shop-pr-3", SharedAccess.READ));
        String blog = before.issue("build-2", scope("blog", "blog-main", SharedAccess.WRITE));
        assertThat(Files.readString(file)).doesNotContain(shop).doesNotContain(blog)
                .contains("build-1 shop shop-pr-3 READ").contains("build-2 blog blog-main WRITE");

        // A restart an hour later: both builds' tokens still work; the ended build's revoke sticks.
        StateTokens after = StateTokens.persistent(file,
                java.time.Clock.fixed(issued.plus(java.time.Duration.ofHours(1)), java.time.ZoneOffset.UTC));
        assertThat(after.grant(shop)).map(StateTokens.Grant::scope)
                .contains(scope("shop", "shop-pr-3", SharedAccess.READ));
        assertThat(after.revoke("build-2")).isEqualTo(1);
        StateTokens again = StateTokens.persistent(file,
                java.time.Clock.fixed(issued.plus(java.time.Duration.ofHours(2)), java.time.ZoneOffset.UTC));
        assertThat(again.grant(blog)).isEmpty();
        assertThat(again.grant(shop)).isPresent();

        // A build that never came back does not hold its grant past MAX_AGE.
        StateTokens later = StateTokens.persistent(file, java.time.Clock.fixed(
                issued.plus(StateTokens.MAX_AGE).plusSeconds(1), java.time.ZoneOffset.UTC));
        assertThat(later.grant(shop)).isEmpty();
    }

    /** A clock the test moves. */
    private static final class MovingClock extends java.time.Clock {
        private java.time.Instant now;

        MovingClock(java.time.Instant now) {
            this.now = now;
        }

        void advance(java.time.Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public java.time.Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    /** A grant held in memory, never revoked and never read back from a file, ends at MAX_AGE too. */
    @Test
    void grantsInMemoryExpireLikePersistedOnes() throws Exception {
        MovingClock clock = new MovingClock(java.time.Instant.parse("2026-11-29T10:00:00Z"));
        StateTokens inMemory = new StateTokens(clock);
        StateTokens persistent = StateTokens.persistent(folder.resolve("tokens.txt"), clock);
        StateScope scope = scope("shop", "shop-main", SharedAccess.WRITE);
        String memoryToken = inMemory.issue("build-1", scope);
        String fileToken = persistent.issue("build-1", scope);

        clock.advance(StateTokens.MAX_AGE.minusSeconds(1));
        assertThat(inMemory.grant(memoryToken)).isPresent();
        assertThat(persistent.grant(fileToken)).isPresent();
        clock.advance(java.time.Duration.ofSeconds(1));
        assertThat(inMemory.grant(memoryToken)).isEmpty();
        assertThat(persistent.grant(fileToken)).isEmpty();

        // Over HTTP the expired token is unknown: 401, as after a revoke.
        try (StateServer aged = StateServer.start(new StateEndpoint(storage, StateEndpoint.Passwords.of(inMemory)))) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(aged.address(SHOP_KEY)))
                    .header("Authorization", basic("berth", memoryToken)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(401);
        }
        // The next issue forgets the expired grants, in the file too.
        persistent.issue("build-2", scope);
        assertThat(Files.readString(folder.resolve("tokens.txt"))).doesNotContain("build-1").contains("build-2");
    }

    /** A file written before tokens had scopes holds project-wide grants: none of them is taken up. */
    @Test
    void projectWideGrantsOfTheOldFileAreDropped() throws IOException {
        Path file = folder.resolve("state-tokens.txt");
        java.time.Instant issued = java.time.Instant.parse("2026-11-29T10:00:00Z");
        String old = "old-token";
        Files.writeString(file, io.jenkins.plugins.berth.Sha256.hex(old) + " build-1 shop " + issued + "\n"
                + "garbage\n" + io.jenkins.plugins.berth.Sha256.hex("x") + " build-2 shop shop-main WRITE not-a-time\n");
        StateTokens read = StateTokens.persistent(file,
                java.time.Clock.fixed(issued.plusSeconds(60), java.time.ZoneOffset.UTC));
        assertThat(read.grant(old)).isEmpty();
        assertThat(read.grant("x")).isEmpty();
        // The next save writes only what was taken up.
        read.issue("build-3", scope("shop", "shop-main", SharedAccess.WRITE));
        assertThat(Files.readAllLines(file)).hasSize(1).allMatch(line -> line.contains(" build-3 shop shop-main WRITE "));
    }

    @Test
    void tokensAreRandomAndOnlyForOneWordBuilds() {
        StateScope scope = scope("shop", "shop-main", SharedAccess.WRITE);
        assertThat(tokens.issue("a#1", scope)).isNotEqualTo(tokens.issue("a#1", scope)).hasSize(48);
        assertThat(tokens.revoke("a#1")).isEqualTo(2);
        assertThat(tokens.revoke("a#1")).isZero();
        assertThatThrownBy(() -> tokens.issue("a build", scope)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("", scope)).isInstanceOf(IllegalArgumentException.class);
    }

    private static int status(StateEndpoint endpoint, String key, Optional<String> authorization) throws IOException {
        return endpoint.handle(new StateEndpoint.Request("GET", key, Optional.empty(), authorization,
                java.util.OptionalLong.empty(), java.io.InputStream::nullInputStream)).status();
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private record Result(int exitCode, String output) {}

    /** Runs {@code tofu init} then {@code tofu <command>} on a one-resource stack stored under {@code key}. */
    private Result tofu(String token, String key, String... command) throws Exception {
        Path stack = Files.createDirectories(folder.resolve("stack-" + System.nanoTime()));
        Files.writeString(stack.resolve("main.tf"), """
                terraform {
                  backend "http" {}
                }
                resource "terraform_data" "marker" {
                  input = "berth"
                }
                """);
        String address = server.address(key);
        Result init = run(stack, token, List.of("init", "-input=false", "-backend-config=address=" + address,
                "-backend-config=lock_address=" + address, "-backend-config=unlock_address=" + address));
        if (init.exitCode() != 0) {
            return init;
        }
        Result result = run(stack, token, List.of(command));
        return new Result(result.exitCode(), init.output() + result.output());
    }

    private static Result run(Path stack, String token, List<String> arguments) throws Exception {
        Path tofu = TerraformTools.searchPath().get(0).resolve("tofu");
        List<String> command = new java.util.ArrayList<>(List.of(tofu.toString(), "-chdir=" + stack));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("TF_HTTP_USERNAME", StateEndpoint.USER);
        environment.put("TF_HTTP_PASSWORD", token);
        environment.put("TF_IN_AUTOMATION", "1");
        environment.put("NO_COLOR", "1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), output);
    }
}
