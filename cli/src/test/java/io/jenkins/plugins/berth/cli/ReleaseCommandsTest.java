package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** berth redeploy and berth promote with the stage's deploy, from the command line. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReleaseCommandsTest {

    @TempDir
    Path repo;

    private void file() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                variables: { MESSAGE: "stage=${BERTH_STAGE} previous=${BERTH_PREVIOUS_STAGE}" }
                init_stages:
                  - { name: build, run: echo built >> builds.log }
                stages:
                  - name: deploy
                    run: echo "$BERTH_ENVIRONMENT $MESSAGE commit=$BERTH_COMMIT" >> deploys.log
                release:
                  - stage: staging
                  - { stage: prod, approval: true }
                """);
    }

    @Test
    void redeployRunsTheStagesAgainWithoutTheBuild() throws Exception {
        file();
        assertThat(Cli.run("up", repo.toString(), "--branch", "main", "--commit", "abc").exitCode()).isZero();
        Cli.Result redeploy = Cli.run("redeploy", repo.toString(), "--env", "shop-main");
        assertThat(redeploy.exitCode()).as(redeploy.out() + redeploy.err()).isZero();
        assertThat(redeploy.out()).contains("==> Redeploying (no build, no apply) shop branch main");
        assertThat(Files.readAllLines(repo.resolve("builds.log"))).hasSize(1);
        assertThat(Files.readAllLines(repo.resolve("deploys.log"))).containsExactly(
                "shop-main stage= previous= commit=abc", "shop-main stage= previous= commit=abc");
        assertThat(Files.readString(Cli.stateOf(repo).resolve("shop-main.json"))).contains("\"command\" : \"redeploy\"");
        assertThat(Cli.run("redeploy", repo.toString(), "--env", "shop-nope").exitCode()).isEqualTo(2);
    }

    @Test
    void promoteDeploysTheStageInOrderAndAsksForApproval() throws Exception {
        file();
        Cli.Result staging = Cli.run("promote", repo.toString(), "--to", "staging");
        assertThat(staging.exitCode()).as(staging.out() + staging.err()).isZero();
        assertThat(staging.out()).contains("==> Releasing to staging: shop");
        Cli.Result unapproved = Cli.run("promote", repo.toString(), "--to", "prod");
        assertThat(unapproved.exitCode()).isEqualTo(1);
        assertThat(unapproved.err()).contains("release stage prod needs approval");
        Cli.Result prod = Cli.run("promote", repo.toString(), "--to", "prod", "--yes");
        assertThat(prod.exitCode()).as(prod.out() + prod.err()).isZero();
        assertThat(Files.readAllLines(repo.resolve("deploys.log"))).containsExactly(
                "shop-staging stage=staging previous=latest commit=", "shop-prod stage=prod previous=staging commit=");
        assertThat(repo.resolve("builds.log")).doesNotExist();
        assertThat(Files.readString(Cli.stateOf(repo).resolve("shop-prod.json")))
                .contains("\"kind\" : \"release-stage\"", "\"protected\" : true", "\"command\" : \"release\"");
    }

    /** --no-deploy: the registry work and the record only, so a Jenkins promote deploys the stage in stages of its own. */
    @Test
    void promoteWithoutDeployRecordsTheStageAndRunsNothing() throws Exception {
        file();
        Cli.Result staging = Cli.run("promote", repo.toString(), "--to", "staging", "--no-deploy");
        assertThat(staging.exitCode()).as(staging.out() + staging.err()).isZero();
        assertThat(staging.out()).contains("==> Promoted 0 images to staging").doesNotContain("Releasing to staging");
        assertThat(repo.resolve("deploys.log")).doesNotExist();
        assertThat(Files.readString(Cli.stateOf(repo).resolve("shop-staging.json")))
                .contains("\"kind\" : \"release-stage\"");
    }

    /**
     * A promotion whose deploy then cannot start (a missing secret) or fails: the stage's record says failed, never
     * ready for images it does not run.
     */
    @Test
    void aStageWhoseDeployDoesNotRunOrFailsIsNotRecordedReady() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), """
                version: 1
                project: shop
                secrets: { DB_PASSWORD: shop-db-password }
                stages:
                  - { name: deploy, run: 'test -n "$DB_PASSWORD" && echo deployed >> deploys.log' }
                release:
                  - stage: staging
                """);
        Cli.Result missing = Cli.run("promote", repo.toString(), "--to", "staging");
        assertThat(missing.exitCode()).as(missing.out() + missing.err()).isEqualTo(2);
        assertThat(missing.err()).contains("shop-db-password");
        assertThat(Files.readString(Cli.stateOf(repo).resolve("shop-staging.json"))).contains("\"status\" : \"failed\"");

        Path secrets = Files.writeString(repo.resolve("secrets.txt"), "shop-db-password=s3cret-Pw\n");
        Cli.Result deployed = Cli.run("promote", repo.toString(), "--to", "staging", "--secrets", secrets.toString());
        assertThat(deployed.exitCode()).as(deployed.out() + deployed.err()).isZero();
        assertThat(Files.readString(Cli.stateOf(repo).resolve("shop-staging.json"))).contains("\"status\" : \"ready\"");

        Files.writeString(repo.resolve("berth.yml"), Files.readString(repo.resolve("berth.yml"))
                .replace("echo deployed >> deploys.log", "exit 3"));
        Cli.Result failed = Cli.run("promote", repo.toString(), "--to", "staging", "--secrets", secrets.toString());
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(Files.readString(Cli.stateOf(repo).resolve("shop-staging.json"))).contains("\"status\" : \"failed\"");
    }
}
