package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up --step PHASE:NAME}, the way the Jenkins berth variable runs a deploy one durable step
 * at a time: each step goes on from what earlier steps recorded. Real OpenTofu.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class StepCommandTest {

    private static final String TOKEN = "s3cr3t-t0ken-from-tofu";

    @TempDir
    Path temp;

    private Path project() throws Exception {
        Path folder = temp.resolve("steps");
        Files.createDirectories(folder.resolve("infra/app"));
        Files.writeString(folder.resolve("berth.yml"), """
                version: 1
                project: steps
                infrastructure:
                  - name: app
                    dir: infra/app
                    outputs: { APP_URL: url, APP_TOKEN: token }
                    url: APP_URL
                stages:
                  - name: first
                    run: echo "first sees $APP_URL"
                  - name: uses-token
                    run: echo "token is $APP_TOKEN" && echo "$APP_TOKEN" > token.txt
                """);
        Files.writeString(folder.resolve("infra/app/main.tf"), """
                output "url" {
                  value = "http://127.0.0.1:8088"
                }
                output "token" {
                  value     = "%s"
                  sensitive = true
                }
                """.formatted(TOKEN));
        return folder;
    }

    @Test
    void eachStepGoesOnFromWhatEarlierStepsRecorded() throws Exception {
        Path folder = project();
        Cli.Result stack = Cli.run("up", folder.toString(), "--branch", "main", "--step", "infrastructure:app");
        assertThat(stack.exitCode()).as(stack.out() + stack.err()).isZero();

        String record = Files.readString(Cli.stateOf(folder).resolve("steps-main.json"));
        assertThat(record).contains("\"APP_URL\" : \"http://127.0.0.1:8088\"").doesNotContain(TOKEN)
                .doesNotContain("APP_TOKEN");

        Cli.Result first = Cli.run("up", folder.toString(), "--branch", "main", "--step", "stages:first");
        assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
        assertThat(first.out()).contains("first sees http://127.0.0.1:8088")
                .doesNotContain("outputs, nothing applied");

        // The sensitive output is not recorded: the step reads it from the stack again, and masks it.
        Cli.Result token = Cli.run("up", folder.toString(), "--branch", "main", "--step", "stages:uses-token");
        assertThat(token.exitCode()).as(token.out() + token.err()).isZero();
        assertThat(token.out()).contains("stack app: outputs read, nothing applied").contains("token is ****")
                .doesNotContain(TOKEN);
        assertThat(Files.readString(folder.resolve("token.txt")).strip()).isEqualTo(TOKEN);
        assertThat(Files.readString(Cli.stateOf(folder).resolve("steps-main.json")))
                .doesNotContain(TOKEN).contains("\"url\" : \"http://127.0.0.1:8088\"");
    }

    @Test
    void anUnknownStepSaysWhichThereAreAndRunsNothing() throws Exception {
        Path folder = project();
        Cli.Result result = Cli.run("up", folder.toString(), "--branch", "main", "--step", "stages:nope");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("the deploy file has no stages step 'nope'; it has: first, uses-token");

        Cli.Result malformed = Cli.run("up", folder.toString(), "--branch", "main", "--step", "stages");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).contains("a step is PHASE:NAME (infrastructure:network), not 'stages'");
        Cli.Result phase = Cli.run("up", folder.toString(), "--branch", "main", "--step", "release:x");
        assertThat(phase.err()).contains("no phase 'release': a step is in one of init_stages, images,"
                + " builds, infrastructure, stages");
    }

    @Test
    void secretsFileAndEnvironmentExcludeEachOther() throws Exception {
        Path folder = project();
        Path secrets = Files.writeString(temp.resolve("s.env"), "x=y\n");
        Cli.Result result = Cli.run("up", folder.toString(), "--branch", "main", "--secrets", secrets.toString(),
                "--secrets-from-env");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("give --secrets FILE or --secrets-from-env, not both");
    }

    /** The failure rules of a walked deploy live in the runner: the record says when the walk stopped. */
    @Test
    void withinAWalkTheRunnerSkipsAfterAnAbortingFailureAndSaysSoByItsExitCode() throws Exception {
        Path folder = temp.resolve("walk");
        Files.createDirectories(folder);
        Files.writeString(folder.resolve("berth.yml"), """
                version: 1
                project: walk
                stages:
                  - name: flaky
                    run: exit 3
                    on_failure: continue
                  - name: build
                    run: echo built
                  - name: in-image
                    run: echo the Pipeline runs this one in its image
                  - name: after
                    run: echo after
                  - name: notify
                    run: echo notified
                    always: true
                """);
        String[] walk = {"--branch", "main", "--walk", "build-7"};
        assertThat(step(folder, walk, "stages:flaky").exitCode()).isEqualTo(4);
        assertThat(step(folder, walk, "stages:build").exitCode()).isZero();
        // A stage the Pipeline ran in a container image failed: reported, it stops the walk like any other.
        Cli.Result reported = step(folder, walk, "stages:in-image", "--report", "failed");
        assertThat(reported.exitCode()).as(reported.out() + reported.err()).isEqualTo(1);
        assertThat(reported.out()).doesNotContain("the Pipeline runs this one");
        Cli.Result after = step(folder, walk, "stages:after");
        assertThat(after.exitCode()).isEqualTo(3);
        assertThat(after.out()).contains("skipped, an earlier failure stopped the run").doesNotContain("after\n");
        Cli.Result notify = step(folder, walk, "stages:notify");
        assertThat(notify.exitCode()).isZero();
        assertThat(notify.out()).contains("notified");
        assertThat(Files.readString(Cli.stateOf(folder).resolve("walk-main.json")))
                .contains("\"id\" : \"build-7\"").contains("\"aborted\" : true").contains("\"status\" : \"failed\"");

        // The next deploy is a new walk: its steps run again.
        Cli.Result next = step(folder, new String[] {"--branch", "main", "--walk", "build-8"}, "stages:after");
        assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
        assertThat(Cli.run("up", folder.toString(), "--branch", "main", "--report", "failed").exitCode()).isEqualTo(2);
    }

    private static Cli.Result step(Path folder, String[] walk, String step, String... more) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("up", folder.toString()));
        args.addAll(java.util.List.of(walk));
        args.addAll(java.util.List.of("--step", step));
        args.addAll(java.util.List.of(more));
        return Cli.run(args.toArray(String[]::new));
    }
}
