package io.jenkins.plugins.berth.terraform;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.LogLines;
import io.jenkins.plugins.berth.deploy.Engine;
import io.jenkins.plugins.berth.deploy.RunResult;
import io.jenkins.plugins.berth.deploy.UpRequest;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.run.LocalCommandRunner;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.run.SecretSource;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner as a Jenkins build starts it: {@code BERTH_STATE_URL} and {@code TF_HTTP_PASSWORD} in its
 * environment, states on a hosted server that takes only that password. Real bash and real OpenTofu.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StateCredentialsTest {

    /** The run's state password: URL, regex and shell characters, so every encoding differs from it. */
    static final String PASSWORD = "s3cr3t-state-pw-4711/+&=?'\"$HOME;`id`";

    private static final String COUNT = "env | grep -c -e '^TF_HTTP_' -e '^BERTH_STATE_URL=' || true";

    @TempDir
    Path repo;

    @TempDir
    Path hostFolder;

    private final List<String> log = new CopyOnWriteArrayList<>();

    @Test
    void stagesSeeNoStateCredentialTerraformGetsThemAndTheLogNeverShowsThePassword() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                init_stages:
                  - name: peek
                    run: |
                      echo "password [${TF_HTTP_PASSWORD-}] url [${BERTH_STATE_URL-}]"
                      %1$s
                      echo -n "${TF_HTTP_PASSWORD-}" | base64
                  - name: leak
                    run: |
                      urlencode() { local s=$1 i c; for ((i = 0; i < ${#s}; i++)); do c=${s:i:1}
                        case $c in [A-Za-z0-9._~-]) printf %%s "$c" ;; *) printf %%%%%%02X "'$c" ;; esac; done; echo; }
                      pw=$(cat leaked.txt)
                      echo "plain=$pw"
                      echo "base64=$(printf %%s "$pw" | base64 -w0)"
                      echo "basic=Basic $(printf 'berth:%%s' "$pw" | base64 -w0)"
                      echo "url=$(urlencode "$pw")"
                infrastructure:
                  - name: app
                    dir: infra/app
                stages:
                  - name: after
                    run: %1$s
                """.formatted(COUNT));
        Files.createDirectories(repo.resolve("infra/app"));
        // The stack's own code runs inside Terraform's process, which has the password: its output is masked too.
        Files.writeString(repo.resolve("infra/app/main.tf"), """
                resource "terraform_data" "app" {
                  input = "x"
                  provisioner "local-exec" {
                    command = "echo \\"tofu sees [$TF_HTTP_PASSWORD]\\"; printf %s \\"$TF_HTTP_PASSWORD\\" | base64 -w0; echo"
                  }
                }
                """);
        // A stage that got hold of the password some other way than its environment.
        Files.writeString(repo.resolve("leaked.txt"), PASSWORD);

        StateStorage hosted = new StateStorage(hostFolder, 3);
        try (StateServer host = StateServer.start(new StateEndpoint(hosted, StateEndpoint.Passwords.single(PASSWORD)))) {
            RunnerEnvironment jenkins = RunnerEnvironment.current().with(Map.of(
                    HttpStates.URL_VARIABLE, host.address(""), HttpStates.PASSWORD_VARIABLE, PASSWORD));
            RunResult result = up(jenkins);
            String all = String.join("\n", log);
            assertThat(result.succeeded()).as(all).isTrue();

            // Terraform authenticated with the password: the state is on the hosted server.
            assertThat(new String(hosted.read("shop/app/shop-main").orElseThrow(), StandardCharsets.UTF_8))
                    .contains("terraform_data");
            assertThat(log).contains("[app] terraform_data.app (local-exec): tofu sees [****]");
            // Stages, before and after the infrastructure, see none of the state variables.
            assertThat(log).contains("[peek] password [] url []", "[peek] 0", "[after] 0");
            // What a stage prints of the password is masked from the first stage on, encoded or not.
            assertThat(log).contains("[leak] plain=****", "[leak] url=****").anyMatch(l -> l.startsWith("[leak] base64=****"))
                    .anyMatch(l -> l.matches("\\[leak\\] basic=Basic YmVydGg6\\*\\*\\*\\*.{0,3}"));
            for (String form : forms(PASSWORD)) {
                assertThat(all).as(form).doesNotContain(form);
            }
            assertThat(all).doesNotContain("s3cr3t");
            try (Stream<Path> files = Files.walk(repo.resolve(".berth"))) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(Files.readString(file, StandardCharsets.ISO_8859_1)).as(file.toString())
                            .doesNotContain(PASSWORD).doesNotContain(base64(PASSWORD));
                }
            }
        }
    }

    private RunResult up(RunnerEnvironment environment) throws Exception {
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");
        Path stateFolder = repo.resolve(".berth/state");
        Engine engine = Engine.builder()
                .phase(new InfrastructurePhase(repo, repo.resolve("berth.yml"), stateFolder,
                        HttpStates.of(stateFolder, environment.variables()), TerraformTools.searchPath()))
                .build(new LocalCommandRunner(repo, environment), new DirectoryStateStore(stateFolder),
                        LogLines.into(log));
        return engine.up(file, RepositoryFiles.of(repo), new UpRequest("main", Optional.of("abc123"), "shop",
                SecretSource.none(), 4));
    }

    /** The password as written, base64-encoded (also after {@code berth:}) and URL-encoded. */
    static List<String> forms(String password) {
        return List.of(password, base64(password), base64("berth:" + password),
                URLEncoder.encode(password, StandardCharsets.UTF_8));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
