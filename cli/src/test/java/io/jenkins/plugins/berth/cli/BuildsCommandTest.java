package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The builds phase from the command line, with real Packer: {@code plan} shows each build's version and agent,
 * and a build run on "another agent" ({@code up --step} with a state folder of its own, as the Jenkins berth
 * variable runs it in {@code node(agent)}) is reported to the environment ({@code --report-build}), whose later
 * steps get its artifact.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class BuildsCommandTest {

    @TempDir
    Path temp;

    private Path project() throws Exception {
        Path folder = temp.resolve("builds");
        Files.createDirectories(folder.resolve("packer/app"));
        Files.writeString(folder.resolve("berth.yml"), """
                version: 1
                project: builds
                builds:
                  - name: app
                    dir: packer/app
                    agent: packer
                    vars: { greeting: "hello ${BERTH_BRANCH}" }
                    outputs: { APP_FILE: file.app.files.0 }
                stages:
                  - name: show
                    run: echo "shown $(cat "$APP_FILE")"
                teardown:
                  - name: forget
                    run: echo "forgetting $APP_FILE"
                """);
        Files.writeString(folder.resolve("packer/app/app.pkr.hcl"), """
                variable "greeting" {
                  type = string
                }
                source "file" "app" {
                  content = var.greeting
                  target  = "app.txt"
                }
                build {
                  sources = ["source.file.app"]
                }
                """);
        return folder;
    }

    @Test
    void thePlanShowsEachBuildWithItsVersionAndAgent() throws Exception {
        Path folder = project();
        Cli.Result plan = Cli.run("plan", folder.toString(), "--branch", "main", "--json");
        assertThat(plan.exitCode()).as(plan.err()).isZero();
        JsonNode builds = new ObjectMapper().readTree(plan.out()).at("/phases/2");
        assertThat(builds.path("name").asText()).isEqualTo("builds");
        JsonNode step = builds.at("/groups/0/0");
        assertThat(step.path("name").asText()).isEqualTo("app");
        assertThat(step.path("kind").asText()).isEqualTo("build");
        assertThat(step.at("/settings/agent").asText()).isEqualTo("packer");
        assertThat(step.at("/settings/version").asText()).matches("[0-9a-f]{32}");

        // up computes the same version: the plan says what up will find.
        Cli.Result up = Cli.run("up", folder.toString(), "--branch", "main");
        assertThat(up.exitCode()).as(up.out() + up.err()).isZero();
        assertThat(up.out()).contains("build app: version " + step.at("/settings/version").asText());
        assertThat(Cli.run("plan", folder.toString(), "--branch", "main").out())
                .contains("version: " + step.at("/settings/version").asText());

        // A redeploy publishes the recorded artifacts: nothing built, the stage sees the file.
        Cli.Result redeploy = Cli.run("redeploy", folder.toString(), "--env", "builds-main");
        assertThat(redeploy.exitCode()).as(redeploy.out() + redeploy.err()).isZero();
        assertThat(redeploy.out()).contains("as recorded, nothing built").contains("shown hello main")
                .doesNotContain("Builds finished");

        // A teardown stage gets the build's outputs; then the build's work folder goes.
        Path workFolder = Cli.stateOf(folder).resolve("builds/builds/app/" + step.at("/settings/version").asText());
        assertThat(workFolder.resolve("template/app.txt")).exists();
        Cli.Result down = Cli.run("down", folder.toString(), "--env", "builds-main");
        assertThat(down.exitCode()).as(down.out() + down.err()).isZero();
        assertThat(down.out()).contains("forgetting " + workFolder.resolve("template/app.txt"))
                .contains("build app: removed builds/builds/app/");
        assertThat(workFolder).doesNotExist();
    }

    @Test
    void aBuildRunOnAnotherAgentIsReportedToTheEnvironmentAndFeedsLaterSteps() throws Exception {
        Path folder = project();
        Path agentState = temp.resolve("agent-state");
        Cli.Result built = Cli.run("up", folder.toString(), "--branch", "main", "--step", "builds:app",
                "--walk", "w1", "--state", agentState.toString());
        assertThat(built.exitCode()).as(built.out() + built.err()).isZero();

        // A record of another walk (an earlier deploy's, left on the agent) is not this build's outcome.
        Cli.Result stale = Cli.run("up", folder.toString(), "--branch", "main", "--step", "builds:app",
                "--walk", "w0", "--report-build", agentState.resolve("builds-main.json").toString());
        assertThat(stale.exitCode()).as(stale.out()).isEqualTo(1);

        Cli.Result reported = Cli.run("up", folder.toString(), "--branch", "main", "--step", "builds:app",
                "--walk", "w1", "--report-build", agentState.resolve("builds-main.json").toString());
        assertThat(reported.exitCode()).as(reported.out() + reported.err()).isZero();
        assertThat(reported.out()).contains("build app: version ").contains("built on its agent")
                .doesNotContain("Builds finished");

        Cli.Result show = Cli.run("up", folder.toString(), "--branch", "main", "--step", "stages:show", "--walk", "w1");
        assertThat(show.exitCode()).as(show.out() + show.err()).isZero();
        assertThat(show.out()).contains("shown hello main");
        assertThat(Files.readString(Cli.stateOf(folder).resolve("builds-main.json"))).contains("\"builds\"")
                .contains("\"status\" : \"succeeded\"");
    }

    @Test
    void aBuildThatFailedOnItsAgentFailsTheStep() throws Exception {
        Path folder = project();
        Files.writeString(folder.resolve("packer/app/app.pkr.hcl"), Files.readString(folder.resolve(
                "packer/app/app.pkr.hcl")).replace("sources = [\"source.file.app\"]",
                "sources = [\"source.file.app\"]\n  provisioner \"shell-local\" {\n    inline = [\"exit 7\"]\n  }"));
        Path agentState = temp.resolve("agent-state");
        Cli.Result built = Cli.run("up", folder.toString(), "--branch", "main", "--step", "builds:app",
                "--walk", "w1", "--state", agentState.toString());
        assertThat(built.exitCode()).isEqualTo(1);
        Cli.Result reported = Cli.run("up", folder.toString(), "--branch", "main", "--step", "builds:app",
                "--walk", "w1", "--report-build", agentState.resolve("builds-main.json").toString());
        assertThat(reported.exitCode()).isEqualTo(1);
        assertThat(reported.out()).contains("failed on its agent (failed)");
        Cli.Result show = Cli.run("up", folder.toString(), "--branch", "main", "--step", "stages:show", "--walk", "w1");
        assertThat(show.exitCode()).isEqualTo(ExitCodes.SKIPPED);
    }
}
