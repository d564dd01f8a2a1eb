package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** envs, pin, unpin and reap from the command line. */
class EnvironmentsCommandTest {

    @TempDir
    Path repo;

    @Test
    void reapTearsDownExpiredEnvironmentsButNeverPinnedOnes() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: demo
                environment: { ttl: 1s }
                stages:
                  - { name: hello, run: echo hello }
                """);
        assertThat(Cli.run("up", repo.toString(), "--branch", "feature/a").exitCode()).isZero();
        assertThat(Cli.run("up", repo.toString(), "--branch", "PR-7").exitCode()).isZero();
        assertThat(Cli.run("pin", repo.toString(), "--env", "demo-pr-7").out()).contains("demo-pr-7 is pinned");
        Thread.sleep(1_200);

        Cli.Result dryRun = Cli.run("reap", repo.toString(), "--dry-run");
        assertThat(dryRun.exitCode()).isZero();
        assertThat(dryRun.out()).contains("==> would tear down demo-feature-a: expired ", "==> keep demo-pr-7: protected");
        assertThat(Cli.run("envs", repo.toString()).out()).containsPattern("demo-feature-a +branch +ready ");

        Cli.Result reap = Cli.run("reap", repo.toString());
        assertThat(reap.exitCode()).as(reap.err()).isZero();
        assertThat(reap.out()).contains("==> tear down demo-feature-a", "Environment demo-feature-a is gone");

        Cli.Result envs = Cli.run("envs", repo.toString());
        assertThat(envs.out()).containsPattern("demo-feature-a +branch +gone ")
                .containsPattern("demo-pr-7 +pull-request +ready +PR-7 .* yes ");
        JsonNode json = new ObjectMapper().readTree(Cli.run("envs", repo.toString(), "--json").out());
        assertThat(json).hasSize(2);
        assertThat(json.get(1).path("protected").asBoolean()).isTrue();
        assertThat(json.get(1).path("expires_at").asText()).isNotEmpty();

        assertThat(Cli.run("unpin", repo.toString(), "--env", "demo-pr-7").exitCode()).isZero();
        assertThat(Cli.run("reap", repo.toString()).out()).contains("==> tear down demo-pr-7",
                "==> keep demo-feature-a: already gone");
        assertThat(Cli.run("pin", repo.toString(), "--env", "nope").exitCode()).isEqualTo(2);
    }

    /** A truncated record and a folder in place of one: each is skipped with a warning naming it, the rest go on. */
    @Test
    void aBadRecordIsSkippedWithAWarningAndTheOthersAreListedAndReaped() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: demo
                environment: { ttl: 1s }
                stages:
                  - { name: hello, run: echo hello }
                """);
        assertThat(Cli.run("up", repo.toString(), "--branch", "a").exitCode()).isZero();
        assertThat(Cli.run("up", repo.toString(), "--branch", "c").exitCode()).isZero();
        Path state = Cli.stateOf(repo);
        String good = Files.readString(state.resolve("demo-a.json"));
        Path truncated = state.resolve("demo-b.json");
        Files.writeString(truncated, good.substring(0, good.length() / 2));
        Path folder = Files.createDirectory(state.resolve("demo-d.json"));
        String truncatedWarning = "berth: warning: skipping " + truncated
                + ": cannot be read as an environment record: Unexpected end-of-input";
        String folderWarning = "berth: warning: skipping " + folder + ": cannot be read: Is a directory";

        Cli.Result envs = Cli.run("envs", repo.toString());
        assertThat(envs.exitCode()).isEqualTo(1);
        assertThat(envs.out()).containsPattern("demo-a +branch +ready ").containsPattern("demo-c +branch +ready ");
        assertThat(envs.err().lines()).hasSize(2).anyMatch(l -> l.startsWith(truncatedWarning))
                .contains(folderWarning);

        Cli.Result json = Cli.run("envs", repo.toString(), "--json");
        assertThat(json.exitCode()).isEqualTo(1);
        JsonNode records = new ObjectMapper().readTree(json.out());
        assertThat(records).extracting(r -> r.path("name").asText()).containsExactly("demo-a", "demo-c");
        assertThat(json.err().lines()).anyMatch(l -> l.startsWith(truncatedWarning)).contains(folderWarning);

        Thread.sleep(1_200);
        Cli.Result reap = Cli.run("reap", repo.toString());
        assertThat(reap.exitCode()).as(reap.err()).isEqualTo(1);
        assertThat(reap.out()).contains("Environment demo-a is gone", "Environment demo-c is gone");
        assertThat(reap.err().lines()).hasSize(2).anyMatch(l -> l.startsWith(truncatedWarning))
                .contains(folderWarning);
        // The bad files are left for a person to look at: Berth neither mends nor deletes them.
        assertThat(truncated).hasContent(good.substring(0, good.length() / 2));
        assertThat(folder).isDirectory();
    }

    /** The URL of a torn-down environment would lead elsewhere, or nowhere: envs and the record drop it. */
    @Test
    void aTornDownEnvironmentShowsNoUrl() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: demo
                stages:
                  - { name: hello, run: echo hello }
                """);
        assertThat(Cli.run("up", repo.toString(), "--branch", "main").exitCode()).isZero();
        Path record = Cli.stateOf(repo).resolve("demo-main.json");
        // As an infrastructure stack's url output would have set it.
        Files.writeString(record, Files.readString(record).replaceFirst("\\{", "{ \"url\" : \"https://main.demo.test/\","));
        assertThat(Cli.run("envs", repo.toString()).out()).containsPattern("demo-main .* https://main.demo.test/");

        Cli.Result down = Cli.run("down", repo.toString(), "--env", "demo-main");
        assertThat(down.exitCode()).as(down.err()).isZero();

        assertThat(Files.readString(record)).contains("\"status\" : \"gone\"").doesNotContain("\"url\"", "main.demo.test");
        Cli.Result envs = Cli.run("envs", repo.toString());
        assertThat(envs.out()).containsPattern("demo-main +branch +gone .* -\\R").doesNotContain("main.demo.test");
        assertThat(new ObjectMapper().readTree(Cli.run("envs", repo.toString(), "--json").out()).get(0).has("url"))
                .isFalse();

        // A record an older Berth left gone with its URL shows none either.
        Files.writeString(record, Files.readString(record).replaceFirst("\\{", "{ \"url\" : \"https://main.demo.test/\","));
        assertThat(Cli.run("envs", repo.toString()).out()).doesNotContain("main.demo.test");
        assertThat(Cli.run("envs", repo.toString(), "--json").out()).doesNotContain("main.demo.test");
    }
}
