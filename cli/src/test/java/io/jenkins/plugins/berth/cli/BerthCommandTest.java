package io.jenkins.plugins.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line as users run it: exit codes, stdout and stderr. */
class BerthCommandTest {
    private static final Path ROOT = Cli.ROOT;
    private static final Path SHOP = ROOT.resolve("examples/shop/berth.yml");
    private static final Path QUICKSTART = ROOT.resolve("examples/quickstart/berth.yml");

    @TempDir
    Path temp;

    private static Cli.Result run(String... args) {
        return Cli.run(args);
    }

    private Path file(String content) throws IOException {
        Path file = temp.resolve("berth.yml");
        Files.writeString(file, content);
        return file;
    }

    /** Each command is built only when named; its name in the table must be its own, and the usage lists them all. */
    @Test
    void theCommandTableNamesEachCommandAsItsAnnotationDoes() {
        BerthCommand.COMMANDS.forEach((name, type) -> assertThat(type.getAnnotation(picocli.CommandLine.Command.class)
                .name()).as(type.getName()).isEqualTo(name));
        Cli.Result usage = run("--help");
        assertThat(usage.exitCode()).isZero();
        BerthCommand.COMMANDS.keySet().forEach(name -> assertThat(usage.out()).contains("  " + name + " "));
        // The usage of the top command, built from the commands' outlines, is the one built from their models.
        java.io.StringWriter full = new java.io.StringWriter();
        BerthCommand.commandLine(io.jenkins.plugins.berth.run.RunnerEnvironment.current(), full,
                new java.io.StringWriter()).usage(new java.io.PrintWriter(full, true));
        assertThat(usage.out()).isEqualTo(full.toString());
        Cli.Result help = run("help", "envs");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("List the environments");
        Cli.Result unknown = run("nope");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("nope");
    }

    @Test
    void validFileExitsZero() {
        Cli.Result result = run("validate", QUICKSTART.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("valid (2 init stages, 0 images, 0 stacks, 3 stages");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void folderArgumentFindsTheFile() {
        assertThat(run("validate", QUICKSTART.getParent().toString()).exitCode()).isZero();
    }

    @Test
    void everyPartOfTheContractCanRunNow() throws Exception {
        // Every feature has its plug-in: validate accepts the full example, and plan notes nothing.
        Path ecs = file("""
                version: 1
                stages:
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: ecs
                      ecs: { region: eu-west-1, cluster: c, listener: arn:l, services: { blue: b, green: g },
                             target_groups: { blue: tb, green: tg } }
                      health: { url: "https://shop.example.com/health" }
                """);
        assertThat(run("validate", ecs.toString()).exitCode()).isZero();
        Cli.Result plan = run("plan", SHOP.toString(), "--branch", "main");
        assertThat(plan.exitCode()).isZero();
        assertThat(plan.err()).isEmpty();
        assertThat(run("validate", SHOP.toString()).exitCode()).isZero();
        assertThat(io.jenkins.plugins.berth.run.Feature.unsupported(
                io.jenkins.plugins.berth.model.DeployFiles.load(SHOP, "berth.yml"), LocalEngine.features())).isEmpty();
    }

    @Test
    void invalidFileExitsOneWithEveryProblemAsFileLineColumn() throws IOException {
        Cli.Result result = run("validate", file("version: 2\nstags: []\nenvironment: {ttl: soon}\n").toString());
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines().toList()).hasSize(3)
                .allMatch(line -> line.matches(".*berth\\.yml:\\d+:\\d+: .+"), "FILE:LINE:COLUMN: message")
                .anyMatch(line -> line.endsWith(":2:1: unknown key 'stags' in the deploy file; did you mean 'stages'?"));
    }

    /** validate and up read the file the same way: a script linked out of the repository stops both, at its field. */
    @Test
    void validateAndUpAgreeOnALinkOutOfTheRepository(@TempDir Path elsewhere) throws IOException {
        Path hostile = Files.writeString(elsewhere.resolve("hostile.sh"), "touch \"" + elsewhere.resolve("ran") + "\"\n");
        Path file = file("version: 1\ninit_stages:\n  - { name: build, script: build.sh }\n");
        Files.createSymbolicLink(temp.resolve("build.sh"), hostile);
        String problem = "berth.yml:3:28: script file of stage 'build': 'build.sh' is a symbolic link to '" + hostile
                + "', outside the repository; Berth follows symbolic links only to files inside it";
        Cli.Result validate = run("validate", file.toString());
        Cli.Result up = run("up", file.toString(), "--branch", "main", "--state", temp.resolve("state").toString());
        for (Cli.Result result : java.util.List.of(validate, up)) {
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err().lines().toList()).singleElement().asString().endsWith(problem);
        }
        assertThat(elsewhere.resolve("ran")).doesNotExist();
        assertThat(temp.resolve("state")).doesNotExist();
    }

    @Test
    void aDeployFileInASubfolderNamesFilesFromItsFolderAsInJenkins() throws IOException {
        // The rule of DeployFileLocation (DeployFileLocationTest checks the workspace side).
        Path repo = temp.resolve("repo");
        Files.createDirectories(repo.resolve("deploy/scripts"));
        Files.writeString(repo.resolve("deploy/scripts/build.sh"), "true\n");
        Files.writeString(repo.resolve("deploy/berth.yml"),
                "version: 1\ninit_stages:\n  - { name: build, script: scripts/build.sh }\n");
        assertThat(run("validate", repo.resolve("deploy/berth.yml").toString()).exitCode()).isZero();

        Files.move(repo.resolve("deploy/scripts"), repo.resolve("scripts"));
        Cli.Result moved = run("validate", repo.resolve("deploy/berth.yml").toString());
        assertThat(moved.exitCode()).isEqualTo(1);
        assertThat(moved.err()).contains("script file 'scripts/build.sh' of stage 'build' does not exist");
    }

    @Test
    void planListsEveryTagADeployMovesOnlyTheReleaseBranchMovingLatest() {
        Cli.Result feature = run("plan", SHOP.toString(), "--branch", "feature/x", "--commit", "c1");
        assertThat(feature.exitCode()).as(feature.err()).isZero();
        assertThat(feature.out()).contains("tags: c1, shop-feature-x\n").contains("release_branch: false\n");
        Cli.Result main = run("plan", SHOP.toString(), "--branch", "main", "--commit", "c2", "--json");
        assertThat(main.exitCode()).as(main.err()).isZero();
        assertThat(main.out().replaceAll("\\s+", " "))
                .contains("\"tags\" : [ \"c2\", \"shop-main\", \"latest\", \"stable\" ]")
                .contains("\"release_branch\" : true");
    }

    @Test
    void theDefaultProjectIsTheOneGivenElseTheFoldersName() throws IOException {
        // Jenkins passes its multibranch project's name: each branch's workspace folder has its own name.
        Path workspace = temp.resolve("shop_feature-x");
        Files.createDirectories(workspace);
        Files.writeString(workspace.resolve("berth.yml"), "version: 1\n");
        Cli.Result given = run("plan", workspace.resolve("berth.yml").toString(), "--branch", "main", "--json",
                "--default-project", "Shop");
        assertThat(given.exitCode()).isZero();
        assertThat(given.out()).contains("\"project\" : \"shop\"");
        assertThat(run("plan", workspace.resolve("berth.yml").toString(), "--branch", "main", "--json").out())
                .contains("\"project\" : \"shop-feature-x\"");
    }

    @Test
    void unreadableOrMissingFilesExitTwo() throws IOException {
        assertThat(run("validate", temp.resolve("nope.yml").toString()).exitCode()).isEqualTo(2);
        Cli.Result noFile = run("validate", temp.toString());
        assertThat(noFile.exitCode()).isEqualTo(2);
        assertThat(noFile.err()).contains("no deploy file in").contains("berth.yml or .berth.yml");
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("validate", "--frobnicate").exitCode()).isEqualTo(2);
        assertThat(run("plan", SHOP.toString()).err()).contains("Missing required option: '--branch=BRANCH'");
        assertThat(run("plan", SHOP.toString()).exitCode()).isEqualTo(2);
        assertThat(run().exitCode()).isEqualTo(2);
        assertThat(run("deploy").exitCode()).isEqualTo(2);
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"validate", "plan", "up", "down", "unlock", "promote", "args"}) {
            Cli.Result help = run(command, "--help");
            assertThat(help.exitCode()).isZero();
            assertThat(help.out()).contains("Usage: berth " + command).contains("Exit codes:");
        }
        assertThat(run("--help").out()).contains("validate").contains("plan").contains("up");
    }

    @Test
    void planAsJsonNamesTheEnvironment() throws IOException {
        Cli.Result result = run("plan", SHOP.toString(), "--branch", "feature/Login-Page", "--commit", "c0ffee" + "0".repeat(34),
                "--json");
        assertThat(result.exitCode()).isZero();
        JsonNode plan = new ObjectMapper().readTree(result.out());
        assertThat(plan.at("/environment/name").asText()).isEqualTo("shop-feature-login-page");
        assertThat(plan.at("/commit").asText()).startsWith("c0ffee");
        assertThat(plan.at("/phases/3/name").asText()).isEqualTo("infrastructure");
    }

    @Test
    void planAsTextListsPhasesAndSecretsByNameOnly() {
        Cli.Result result = run("plan", SHOP.toString(), "--branch", "main");
        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("environment: shop-main")
                .contains("init_stages").contains("infrastructure").contains("teardown")
                .contains("DB_PASSWORD").contains("(secret: credential shop-db-password)");
    }

    @Test
    void argsListsEachImagesBuildArgumentsAndWhichAreMissing() throws IOException {
        Cli.Result shop = run("args", SHOP.toString());
        assertThat(shop.exitCode()).isZero();
        assertThat(shop.out()).isEqualTo("web (services/web/Dockerfile)\n"
                + "  NODE_VERSION  line 1, global, default none: required, given '20' in images.web.args\n");
        Files.createDirectories(temp.resolve("app"));
        Files.writeString(temp.resolve("app/Dockerfile"), "FROM alpine AS build\nARG TOKEN\nARG MODE=fast\n"
                + "RUN make $TOKEN $MODE\nFROM alpine AS test\nARG TEST_DB\nRUN test $TEST_DB\nFROM build\n"
                + "ARG TARGETARCH\n");
        Cli.Result missing = run("args", file("version: 1\nregistry: r.example/x\nimages:\n  app: { context: app }\n")
                .toString());
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.out()).contains(
                "  TOKEN  line 2, stage build, default none: REQUIRED, missing",
                "  MODE  line 3, stage build, default 'fast': optional",
                "  TEST_DB  line 6, stage test, default none: stage not built",
                "  TARGETARCH  line 9, stage 2, default none: built in");
        assertThat(run("validate", temp.resolve("berth.yml").toString()).err())
                .contains("berth.yml:4:3: image 'app' needs build argument TOKEN: app/Dockerfile:2 (stage build) declares"
                        + " it without a default and the build uses it; add it to images.app.args");
    }

    @Test
    void promoteNamesUnknownStagesAndUnreachableRegistries() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path file = file("version: 1\nproject: shop\nregistry: 127.0.0.1:" + port + "/shop\nimages:\n  web: { context: web }\n"
                + "release:\n  - stage: staging\n");
        Files.createDirectories(temp.resolve("web"));
        Files.writeString(temp.resolve("web/Dockerfile"), "FROM scratch\n");
        Cli.Result unknown = run("promote", file.toString(), "--to", "prod");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("there is no release stage 'prod'; the stages are staging");
        // No release branch has deployed: nothing to promote, and the registry is not asked.
        Cli.Result unbuilt = run("promote", file.toString(), "--to", "staging");
        assertThat(unbuilt.exitCode()).isEqualTo(1);
        assertThat(unbuilt.err()).isEqualTo("berth: cannot promote to staging: no release branch has a build to"
                + " promote: the state folder has no environment of main or master (shop-main, shop-master); deploy the"
                + " release branch first (berth up --branch main), or name the environment with --from; nothing was"
                + " promoted\n");
        // main's record, as its deploy leaves it.
        io.jenkins.plugins.berth.environments.DirectoryStateStore state =
                new io.jenkins.plugins.berth.environments.DirectoryStateStore(Cli.stateOf(temp));
        java.time.Instant now = java.time.Instant.now();
        state.update("shop-main", stored -> io.jenkins.plugins.berth.environments.EnvironmentRecord.create("shop-main",
                "shop", "main", io.jenkins.plugins.berth.environments.EnvironmentKind.BRANCH, false, now)
                .withStatus(io.jenkins.plugins.berth.environments.EnvironmentStatus.READY, now)
                .withImages(java.util.Map.of("web", "127.0.0.1:" + port + "/shop/web@sha256:" + "a".repeat(64)), now));
        Cli.Result unreachable = run("promote", file.toString(), "--to", "staging", "--docker-config",
                temp.resolve("none.json").toString());
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.out()).contains("==> Promoting to staging what shop-main (branch main) runs");
        assertThat(unreachable.err()).contains("cannot reach registry 127.0.0.1:" + port);
        assertThat(Cli.stateOf(temp).resolve("shop-staging.json")).doesNotExist();
        Cli.Result from = run("promote", file.toString(), "--to", "staging", "--from", "shop-nope");
        assertThat(from.exitCode()).isEqualTo(1);
        assertThat(from.err()).contains("there is no environment 'shop-nope' to promote from");
    }

    @Test
    void planOfAnInvalidFileExitsOne() throws IOException {
        Cli.Result result = run("plan", file("version: 1\nvariables: {A: \"${B}\"}\n").toString(), "--branch", "main");
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("berth.yml:2:17: unknown variable ${B}");
    }
}
