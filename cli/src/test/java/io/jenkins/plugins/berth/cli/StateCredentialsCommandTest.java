package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line started as a Jenkins build starts it, with the state password in its environment:
 * nothing it prints shows the password, from its first line, and its stages do not see it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StateCredentialsCommandTest {

    /** URL, regex and shell characters, so every encoding differs from the value. */
    private static final String PASSWORD = "s3cr3t-state-pw-4711/+&=?'\"$HOME;`id`";
    private static final String ENCODED = URLEncoder.encode(PASSWORD, StandardCharsets.UTF_8);

    @TempDir
    Path temp;

    private Path file(String yaml) throws Exception {
        Path file = temp.resolve("berth.yml");
        Files.writeString(file, yaml);
        return file;
    }

    private static void assertShowsNoPassword(Cli.Result result) {
        String all = result.out() + result.err();
        for (String form : List.of(PASSWORD, ENCODED, base64(PASSWORD), base64("berth:" + PASSWORD), "s3cr3t")) {
            assertThat(all).as(form).doesNotContain(form);
        }
    }

    @Test
    void aHostedAddressThatIsRefusedIsReportedWithoutItsPassword() throws Exception {
        Path file = file("""
                version: 1
                project: shop
                stages:
                  - { name: hello, run: touch ran }
                """);
        for (String command : List.of("up", "down", "unlock")) {
            List<String> args = command.equals("up") ? List.of("up", file.toString(), "--branch", "main")
                    : List.of(command, "--env", "shop-main", "--state", temp.resolve("state").toString());
            Cli.Result result = Cli.runWith(Map.of("BERTH_STATE_URL", "ftp://berth:" + ENCODED + "@ci.example.com/state/",
                    "TF_HTTP_PASSWORD", PASSWORD), args.toArray(String[]::new));
            assertThat(result.exitCode()).as(command).isNotZero();
            assertShowsNoPassword(result);
            assertThat(result.err()).as(command).contains(
                    "berth: BERTH_STATE_URL must be an http(s) address, not 'ftp://berth:****@ci.example.com/state/'");
        }
        assertThat(temp.resolve("ran")).doesNotExist();
    }

    @Test
    void aUsageErrorQuotingThePasswordShowsItMasked() {
        Cli.Result result = Cli.runWith(Map.of("TF_HTTP_PASSWORD", PASSWORD), "up", "--branch", "main",
                "--step", PASSWORD);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--step").contains("****");
        assertShowsNoPassword(result);
    }

    @Test
    void aDeployMasksThePasswordFromItsFirstLineAndItsStagesDoNotSeeIt() throws Exception {
        Files.writeString(temp.resolve("leaked.txt"), PASSWORD);
        Path file = file("""
                version: 1
                project: shop
                init_stages:
                  - name: peek
                    run: |
                      echo "password [${TF_HTTP_PASSWORD-}]"
                      env | grep -c -e '^TF_HTTP_' -e '^BERTH_STATE_URL=' || true
                  - name: leak
                    run: |
                      echo "plain=$(cat leaked.txt)"
                      echo "base64=$(base64 -w0 leaked.txt)"
                """);
        Cli.Result result = Cli.runWith(Map.of("BERTH_STATE_URL", "https://berth:" + ENCODED + "@ci.example.com/state/",
                "TF_HTTP_PASSWORD", PASSWORD), "up", file.toString(), "--branch", "main");
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(result.out()).contains("[peek] password []", "[peek] 0", "[leak] plain=****", "[leak] base64=****");
        assertShowsNoPassword(result);
        assertThat(Files.readString(Cli.stateOf(temp).resolve("shop-main.json"))).doesNotContain(PASSWORD);
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
