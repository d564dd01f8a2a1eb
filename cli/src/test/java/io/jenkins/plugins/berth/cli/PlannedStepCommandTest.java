package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.plan.PlanFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code berth up --step ... --plan FILE --plan-digest SHA256}, as every step of a Jenkins walk runs: the plan
 * {@code berthPlan} made runs only when its digest is the controller's, and only while the deploy file in the
 * workspace is the one planned; anything else runs nothing. Real bash; the plan as {@code berthPlan} writes it.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PlannedStepCommandTest {

    private static final String FILE_TEXT = """
            version: 1
            project: steps
            stages:
              - name: first
                run: echo "first ran" > first.txt
            """;

    @TempDir
    Path temp;

    private Path folder;
    private Path deployFile;
    private Path state;
    private Path planPath;
    private PlanFile plan;

    @BeforeEach
    void planned() throws Exception {
        folder = Files.createDirectories(temp.resolve("repository"));
        deployFile = folder.resolve("berth.yml");
        Files.writeString(deployFile, FILE_TEXT);
        state = temp.resolve("state");
        plan = new PlanFile(deployFile.toString(), "main", Optional.of("0123abc"), "steps", FILE_TEXT);
        planPath = folder.resolve(plan.path());
        Files.createDirectories(planPath.getParent());
        Files.write(planPath, plan.bytes());
    }

    private Cli.Result step() {
        List<String> args = new ArrayList<>(List.of("up", deployFile.toString(), "--branch", "main", "--commit", "0123abc",
                "--default-project", "steps", "--state", state.toString(), "--step", "stages:first", "--walk", "w1",
                "--plan", planPath.toString(), "--plan-digest", plan.digest()));
        return Cli.run(args.toArray(String[]::new));
    }

    private void assertNothingRan(Cli.Result result, String why) {
        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains(why);
        assertThat(folder.resolve("first.txt")).doesNotExist();
        assertThat(state.resolve("steps-main.json")).doesNotExist();
    }

    @Test
    void theStepRunsThePlannedFile() throws Exception {
        Cli.Result result = step();
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(Files.readString(folder.resolve("first.txt")).strip()).isEqualTo("first ran");
        assertThat(Files.readString(state.resolve("steps-main.json"))).contains("\"commit\" : \"0123abc\"");
    }

    /** A stage rewrote the plan in the workspace: the controller's digest no longer names it. */
    @Test
    void aPlanWhoseDigestDiffersRunsNothing() throws Exception {
        String rewritten = new String(plan.bytes(), StandardCharsets.US_ASCII).replace("first ran", "pwned!!!!");
        Files.writeString(planPath, rewritten);
        assertNothingRan(step(), "is not the plan this build made");
        // Even one that a stage rewrote consistently, deploy file and all.
        Files.writeString(deployFile, FILE_TEXT.replace("first ran", "pwned!!!!"));
        assertNothingRan(step(), "is not the plan this build made");
    }

    /** The plan is intact but a stage rewrote the deploy file: what the run would keep for a teardown is not what ran. */
    @Test
    void aDeployFileChangedAfterThePlanRunsNothing() throws Exception {
        Files.writeString(deployFile, FILE_TEXT + "teardown:\n  - name: surprise\n    run: rm -rf /tmp/x\n");
        assertNothingRan(step(), "is not the deploy file the plan holds");
    }

    /** A plan gone from the workspace is made again from the deploy file, when that gives the digest the controller has. */
    @Test
    void aMissingPlanIsMadeAgainFromAnUnchangedFile() throws Exception {
        Files.delete(planPath);
        Cli.Result result = step();
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(folder.resolve("first.txt")).exists();
        assertThat(Files.readAllBytes(planPath)).isEqualTo(plan.bytes());
    }

    @Test
    void aMissingPlanAndAChangedFileRunNothing() throws Exception {
        Files.delete(planPath);
        Files.writeString(deployFile, FILE_TEXT.replace("first ran", "other"));
        assertNothingRan(step(), "is missing");
        assertThat(planPath).doesNotExist();
    }

    @Test
    void aPlanForAnotherBranchOrWithoutItsDigestIsAUsageError() throws Exception {
        Cli.Result other = Cli.run("up", deployFile.toString(), "--branch", "dev", "--state", state.toString(),
                "--step", "stages:first", "--walk", "w1", "--plan", planPath.toString(), "--plan-digest", plan.digest());
        assertThat(other.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(other.err()).contains("the plan is for branch main, not dev");
        Cli.Result alone = Cli.run("up", deployFile.toString(), "--branch", "main", "--state", state.toString(),
                "--step", "stages:first", "--plan", planPath.toString());
        assertThat(alone.err()).contains("--plan and --plan-digest go together");
        Cli.Result malformed = Cli.run("up", deployFile.toString(), "--branch", "main", "--state", state.toString(),
                "--step", "stages:first", "--plan", planPath.toString(), "--plan-digest", "md5:abc");
        assertThat(malformed.err()).contains("--plan-digest: a plan digest is sha256:");
        Cli.Result noStep = Cli.run("up", deployFile.toString(), "--branch", "main", "--state", state.toString(),
                "--plan", planPath.toString(), "--plan-digest", plan.digest());
        assertThat(noStep.err()).contains("--plan goes with --step");
        assertThat(folder.resolve("first.txt")).doesNotExist();
    }

    /** {@code berth plan --save-plan}: the plan a walker of its own (another CI) keeps the digest of, as berthPlan does. */
    @Test
    void planSavesThePlanAStepRunsAndPrintsItsDigest() throws Exception {
        Path saved = temp.resolve("saved/plan.json");
        Cli.Result planned = Cli.run("plan", deployFile.toString(), "--branch", "main", "--commit", "0123abc",
                "--save-plan", saved.toString(), "--json");
        assertThat(planned.exitCode()).as(planned.err()).isZero();
        assertThat(Files.readAllBytes(saved)).isEqualTo(plan.bytes());
        com.fasterxml.jackson.databind.JsonNode json = io.jenkins.plugins.berth.Json.mapper().readTree(planned.out());
        assertThat(json.path("plan_digest").asText()).isEqualTo(plan.digest());
        assertThat(json.path("environment").path("name").asText()).isEqualTo("steps-main");
        Cli.Result text = Cli.run("plan", deployFile.toString(), "--branch", "main", "--commit", "0123abc",
                "--save-plan", saved.toString());
        assertThat(text.out()).contains("Plan saved to " + saved + ": " + plan.digest());
        Files.delete(planPath);
        planPath = saved;
        Cli.Result result = step();
        assertThat(result.exitCode()).as(result.out() + result.err()).isZero();
        assertThat(folder.resolve("first.txt")).exists();
    }
}
