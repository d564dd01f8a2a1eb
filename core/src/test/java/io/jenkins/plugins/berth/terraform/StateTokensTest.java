package io.jenkins.plugins.berth.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
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
 * Per-build state tokens, the way the Jenkins plugin serves states: real OpenTofu talks to the
 * {@link StateEndpoint} through the CLI's HTTP server, with a token for one project only.
 */
class StateTokensTest {
    private static final String SHOP_KEY = "shop/app/shop-main";

    @TempDir
    Path folder;

    private final StateTokens tokens = new StateTokens();
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

    @Test
    void aTokenServesItsProjectsStatesUntilRevoked() throws Exception {
        String shop = tokens.issue("shop/main#7", "shop");
        String blog = tokens.issue("blog/main#3", "blog");

        Result applied = tofu(shop, SHOP_KEY, "apply", "-auto-approve", "-input=false");
        assertThat(applied.exitCode()).as(applied.output()).isZero();
        byte[] state = storage.read(SHOP_KEY).orElseThrow();
        assertThat(new String(state, StandardCharsets.UTF_8)).contains("terraform_data");

        Result otherProject = tofu(blog, SHOP_KEY, "plan", "-input=false");
        assertThat(otherProject.exitCode()).isNotZero();
        assertThat(otherProject.output()).contains("invalid auth"); // tofu's words for 403

        assertThat(tokens.revoke("shop/main#7")).isEqualTo(1);
        Result revoked = tofu(shop, SHOP_KEY, "plan", "-input=false");
        assertThat(revoked.exitCode()).isNotZero();
        assertThat(revoked.output()).contains("requires auth"); // and for 401
        assertThat(storage.read(SHOP_KEY).orElseThrow()).isEqualTo(state);

        // The token is a secret: it is in no state, lock, version or Terraform file.
        for (Result result : List.of(applied, otherProject, revoked)) {
            assertThat(result.output()).doesNotContain(shop).doesNotContain(blog);
        }
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                        .doesNotContain(shop).doesNotContain(blog);
            }
        }
    }

    @Test
    void theEndpointAnswers401WithoutAKnownTokenAnd403OutsideTheProject() throws IOException {
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens));
        String token = tokens.issue("shop/main#8", "shop");

        assertThat(status(endpoint, SHOP_KEY, Optional.empty())).isEqualTo(401);
        assertThat(status(endpoint, SHOP_KEY, Optional.of(basic("berth", "not-a-token")))).isEqualTo(401);
        assertThat(status(endpoint, SHOP_KEY, Optional.of(basic("admin", token)))).isEqualTo(401);
        assertThat(status(endpoint, SHOP_KEY, Optional.of("Bearer " + token))).isEqualTo(401);
        assertThat(status(endpoint, "blog/app/blog-main", Optional.of(basic("berth", token)))).isEqualTo(403);
        // "shopping" shares a beginning with "shop" but is another project.
        assertThat(status(endpoint, "shopping/app/x", Optional.of(basic("berth", token)))).isEqualTo(403);
        assertThat(status(endpoint, SHOP_KEY, Optional.of(basic("berth", token)))).isEqualTo(204);
    }

    @Test
    void anEnvironmentsTokenUsesOnlyItsStatesAndReadsTheSharedOnes() throws IOException {
        StateEndpoint endpoint = new StateEndpoint(storage, StateEndpoint.Passwords.of(tokens));
        String auth = basic("berth", tokens.issue("shop/PR-7#1", "shop", Optional.of("shop-pr-7")));

        assertThat(status(endpoint, "GET", "shop/app/shop-pr-7", auth)).isEqualTo(204);
        assertThat(status(endpoint, "POST", "shop/app/shop-pr-7", auth)).isEqualTo(200);
        assertThat(status(endpoint, "GET", "shop/db/_shared", auth)).isEqualTo(204);
        for (String method : List.of("POST", "LOCK", "UNLOCK", "DELETE")) {
            assertThat(status(endpoint, method, "shop/db/_shared", auth)).as(method).isEqualTo(403);
        }
        for (String other : List.of("shop/app/shop-main", "shop/app/shop-pr-7x", "shop/shop-pr-7",
                "shop/app/shop-pr-7/more", "blog/app/shop-pr-7")) {
            assertThat(status(endpoint, "GET", other, auth)).as(other).isEqualTo(403);
        }
        assertThatThrownBy(() -> tokens.issue("a#3", "shop", Optional.of("_shared")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("a#3", "shop", Optional.of("x/y")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEnvironmentsGrantOutlivesARestart() throws IOException {
        Path file = folder.resolve("tokens/scoped.txt");
        String token = StateTokens.persistent(file, java.time.Clock.systemUTC())
                .issue("build-3", "shop", Optional.of("shop-pr-7"));
        StateTokens.Grant grant = StateTokens.persistent(file, java.time.Clock.systemUTC()).grant(token).orElseThrow();
        assertThat(grant.environment()).contains("shop-pr-7");
        assertThat(grant.allows("shop/app/shop-main", false)).isFalse();
    }

    @Test
    void persistentTokensOutliveARestartForAWhileAndTheFileHoldsNoUsableToken() throws IOException {
        Path file = folder.resolve("tokens/tokens.txt");
        java.time.Instant issued = java.time.Instant.parse("2026-11-29T10:00:00Z");
        StateTokens before = StateTokens.persistent(file, java.time.Clock.fixed(issued, java.time.ZoneOffset.UTC));
        String shop = before.issue("build-1", "shop");
        String blog = before.issue("build-2", "blog");
        assertThat(Files.readString(file)).doesNotContain(shop).doesNotContain(blog).contains("build-1 shop");

        // A restart an hour later: both builds' tokens still work; the ended build's revoke sticks.
        StateTokens after = StateTokens.persistent(file,
                java.time.Clock.fixed(issued.plus(java.time.Duration.ofHours(1)), java.time.ZoneOffset.UTC));
        assertThat(after.grant(shop)).map(StateTokens.Grant::project).contains("shop");
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

    @Test
    void tokensAreRandomAndOnlyForProjectNames() {
        assertThat(tokens.issue("a#1", "shop")).isNotEqualTo(tokens.issue("a#1", "shop")).hasSize(48);
        assertThat(tokens.revoke("a#1")).isEqualTo(2);
        assertThat(tokens.revoke("a#1")).isZero();
        assertThatThrownBy(() -> tokens.issue("a#2", "shop/app")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue("a#2", "../etc")).isInstanceOf(IllegalArgumentException.class);
    }

    private static int status(StateEndpoint endpoint, String method, String key, String authorization)
            throws IOException {
        return endpoint.handle(new StateEndpoint.Request(method, key, Optional.empty(), Optional.of(authorization),
                "{\"version\":4,\"serial\":1}".getBytes(StandardCharsets.UTF_8))).status();
    }

    private static int status(StateEndpoint endpoint, String key, Optional<String> authorization) throws IOException {
        return endpoint.handle(new StateEndpoint.Request("GET", key, Optional.empty(), authorization, new byte[0]))
                .status();
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
