package io.jenkins.plugins.berth.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a deploy file names are checked on a real folder. */
class RepositoryChecksTest {
    @TempDir
    Path repo;
    /** Beside the repository: where hostile links point. */
    @TempDir
    Path elsewhere;

    private static final String FILE = """
            version: 1
            registry: 127.0.0.1:5000/shop
            images:
              web: { context: web }
            init_stages:
              - { name: lint, script: .berth/lint.sh }
            infrastructure:
              - name: app
                dir: infra/app
                outputs: { APP_URL: url, DB: db_host }
                vars: { instance_typ: small }
              - { name: empty, dir: infra/empty }
              - { name: missing, dir: infra/missing }
            """;

    @Test
    void everyMissingFileIsReported() throws IOException {
        Files.writeString(repo.resolve("berth.yml"), FILE);
        Files.createDirectories(repo.resolve("infra/app"));
        Files.createDirectories(repo.resolve("infra/empty"));
        Files.writeString(repo.resolve("infra/app/main.tf"), "output \"url\" {\n  value = \"x\"\n}\noutput \"db_hots\" { value = 1 }\n"
                + "variable \"instance_type\" {}\n");
        assertThatThrownBy(() -> DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"))
                .isInstanceOfSatisfying(DeployFileException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly(
                                "berth.yml:4:3: Dockerfile 'web/Dockerfile' of image 'web' does not exist in the repository",
                                "berth.yml:4:19: build context 'web' of image 'web' is not a folder in the repository",
                                "berth.yml:6:27: script file '.berth/lint.sh' of stage 'lint' does not exist in the repository"
                                        + " (paths are relative to the deploy file's folder)",
                                "berth.yml:10:30: stack 'app' publishes Terraform output 'db_host', which infra/app does not"
                                        + " declare (it declares: db_hots, url); did you mean 'db_hots'?",
                                "berth.yml:11:27: stack 'app' gives variable 'instance_typ', which infra/app does not"
                                        + " declare (it declares: instance_type); did you mean 'instance_type'?",
                                "berth.yml:12:25: folder 'infra/empty' of stack 'empty' holds no .tf or .tofu files",
                                "berth.yml:13:27: folder 'infra/missing' of stack 'missing' does not exist in the repository"));
    }

    @Test
    void completeRepositoryIsValid() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), FILE.replace("  - { name: empty, dir: infra/empty }\n", "")
                .replace("  - { name: missing, dir: infra/missing }\n", ""));
        Files.createDirectories(repo.resolve("infra/app"));
        Files.createDirectories(repo.resolve("web"));
        Files.createDirectories(repo.resolve(".berth"));
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch\n");
        Files.writeString(repo.resolve(".berth/lint.sh"), "true\n");
        Files.writeString(repo.resolve("infra/app/main.tf"), "output \"url\" { value = 1 }\n  output \"db_host\" {\n value = 2\n}\n"
                + "variable \"instance_typ\" { type = string }\n");
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");
        assertThat(file.infrastructure()).hasSize(1);
    }

    /**
     * A shared stack is given only berth_project and berth_registry: a module that declares a berth_* variable that
     * differs from one environment to another is refused where its variable block is, default or not; the same
     * module as an environment's own stack is fine.
     */
    @Test
    void aSharedStacksModuleMustNotDeclareEnvironmentLevelFacts() throws Exception {
        Files.createDirectories(repo.resolve("infra/db"));
        Files.writeString(repo.resolve("infra/db/main.tf"), "variable \"berth_project\" {}\nvariable \"berth_registry\" {}\n"
                + "\n  variable \"berth_environment\" {\n  type = string\n}\noutput \"host\" { value = 1 }\n");
        Files.writeString(repo.resolve("infra/db/more.tf"), "variable \"berth_foo\" { default = 1 }\n"
                + "variable \"berth_image_web\" { default = \"\" }\nvariable \"berth_branch_slug\" { default = \"\" }\n");
        String file = """
                version: 1
                registry: 127.0.0.1:5000/shop
                infrastructure:
                  - name: db
                    dir: infra/db
                    shared: true
                """;
        Files.writeString(repo.resolve("berth.yml"), file);
        String advice = ", which differs from one environment to another: a shared stack is applied once for the whole"
                + " project and is given only berth_project and berth_registry. Remove the variable from the module, or"
                + " make 'db' an environment's own stack (remove 'shared: true')";
        assertThatThrownBy(() -> DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"))
                .isInstanceOfSatisfying(DeployFileException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly(
                                "berth.yml:4:5: stack 'db' is shared, but infra/db/main.tf:4 declares variable"
                                        + " 'berth_environment'" + advice,
                                "berth.yml:4:5: stack 'db' is shared, but infra/db/more.tf:2 declares variable"
                                        + " 'berth_image_web'" + advice,
                                "berth.yml:4:5: stack 'db' is shared, but infra/db/more.tf:3 declares variable"
                                        + " 'berth_branch_slug'" + advice));
        Files.writeString(repo.resolve("berth.yml"), file.replace("    shared: true\n", ""));
        assertThat(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml").infrastructure()).hasSize(1);
    }

    @Test
    void aTargetMustBeABuildStageOfTheDockerfile() throws Exception {
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), "FROM scratch AS Build\nFROM scratch AS runtime\n");
        String file = "version: 1\nregistry: 127.0.0.1:5000/shop\nimages:\n  web:\n    context: web\n"
                + "    target: tests\n";
        Files.writeString(repo.resolve("berth.yml"), file);
        assertThatThrownBy(() -> DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"))
                .isInstanceOfSatisfying(DeployFileException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly("berth.yml:6:13: image 'web' has no build stage 'tests': web/Dockerfile names"
                                + " build, runtime"));
        // BuildKit compares stage names without case.
        Files.writeString(repo.resolve("berth.yml"), file.replace("tests", "build"));
        assertThat(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml").images().get("web").target())
                .map(ImageSpec.Setting::value).contains("build");
    }

    @Test
    void buildArgumentsTheDockerfileNeedsMustBeGiven() throws Exception {
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), "ARG BASE\nFROM ${BASE} AS build\nARG TOKEN\nARG LEVEL=1\n"
                + "RUN make TOKEN=$TOKEN LEVEL=$LEVEL\n");
        String file = "version: 1\nregistry: 127.0.0.1:5000/shop\nimages:\n  web:\n    context: web\n";
        Files.writeString(repo.resolve("berth.yml"), file);
        String todo = " (a Jenkins build asks for it, and remembers it for the environment)";
        assertThatThrownBy(() -> DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"))
                .isInstanceOfSatisfying(MissingBuildArgsException.class, e -> {
                    assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                            "berth.yml:4:3: image 'web' needs build argument BASE: web/Dockerfile:1 (global) declares it"
                                    + " without a default and the build uses it; add it to images.web.args" + todo,
                            "berth.yml:4:3: image 'web' needs build argument TOKEN: web/Dockerfile:3 (stage build)"
                                    + " declares it without a default and the build uses it; add it to images.web.args"
                                    + todo);
                    assertThat(e.missing()).containsExactly(
                            new MissingBuildArg("web", "BASE", "web/Dockerfile", 1, Optional.empty()),
                            new MissingBuildArg("web", "TOKEN", "web/Dockerfile", 3, Optional.of("build")));
                    assertThat(e.file().images()).containsKey("web");
                });
        // Values given at run time (BERTH_BUILD_ARGS) fill what the file leaves out; the file's own win.
        DeployFile given = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml", BuildArgValues.none()
                .with("web", "BASE", "alpine").with("web", "TOKEN", "${not a template}"));
        assertThat(given.images().get("web").args()).extractingFromEntries(e -> e.getKey() + "=" + e.getValue()
                .parts()).hasSize(2);
        Files.writeString(repo.resolve("berth.yml"), file + "    args: { BASE: alpine, TOKEN: abc }\n");
        assertThat(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml").images()).containsKey("web");
        assertThat(DeployFiles.load(repo.resolve("berth.yml"), "berth.yml", BuildArgValues.none().with("web", "TOKEN",
                "other")).images().get("web").args().get("TOKEN").position().line()).isEqualTo(6);
        // Another problem besides: an ordinary DeployFileException, with both.
        Files.writeString(repo.resolve("berth.yml"), file + "    dockerfile: web/Missing\n");
        assertThatThrownBy(() -> DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"))
                .isExactlyInstanceOf(DeployFileException.class);
    }

    @Test
    void findsTheDeployFileAndRefusesTwo() throws Exception {
        assertThatThrownBy(() -> DeployFiles.find(repo)).isInstanceOf(NoDeployFileException.class)
                .hasMessageContaining("expected berth.yml or .berth.yml");
        Files.writeString(repo.resolve(".berth.yml"), "version: 1\n");
        assertThat(DeployFiles.find(repo)).isEqualTo(repo.resolve(".berth.yml"));
        Files.writeString(repo.resolve("berth.yml"), "version: 1\n");
        assertThatThrownBy(() -> DeployFiles.find(repo)).hasMessageContaining("keep one of them");
    }

    private static final String LINKED = """
            version: 1
            registry: 127.0.0.1:5000/shop
            images:
              web: { context: web, dockerfile: docker/web.Dockerfile }
              api: { context: api }
            init_stages:
              - { name: lint, script: lint.sh }
            stages:
              - name: app
                deploy:
                  strategy: blue-green
                  target: script
                  colors: { blue: 8001, green: 8002 }
                  start: ./start.sh
                  switch: ./switch.sh
                  stop: ./stop.sh $BERTH_COLOR
                  health: { url: "http://127.0.0.1:${BERTH_PORT}/" }
            teardown:
              - { name: drop, script: ops/drop.sh }
            infrastructure:
              - { name: app, dir: infra/app }
              - { name: db, dir: infra/db }
            """;

    /**
     * Every path field, and every file a copy or a build takes, through a link out of the repository: one
     * problem each, at the field, before anything reads what the link points to.
     */
    @Test
    void symbolicLinksOutOfTheRepositoryAreProblemsAtTheirFields() throws IOException {
        Path outside = elsewhere;
        Path secret = Files.writeString(outside.resolve("master.key"), "FROM scratch\noutput \"x\" { value = 1 }\n");
        Files.writeString(repo.resolve("berth.yml"), LINKED);
        Files.createDirectories(repo.resolve("web"));
        Files.createDirectories(repo.resolve("api"));
        Files.createDirectories(repo.resolve("docker"));
        Files.createDirectories(repo.resolve("ops"));
        Files.createDirectories(repo.resolve("infra/db"));
        Files.writeString(repo.resolve("api/Dockerfile"), "FROM scratch\n");
        Files.writeString(repo.resolve("infra/db/main.tf"), "");
        Files.createSymbolicLink(repo.resolve("lint.sh"), secret);
        Files.createSymbolicLink(repo.resolve("stop.sh"), repo.relativize(secret));
        Files.createSymbolicLink(repo.resolve("ops/drop.sh"), secret);
        Files.createSymbolicLink(repo.resolve("docker/web.Dockerfile"), secret);
        Files.createSymbolicLink(repo.resolve("web/keys"), outside);
        Files.createSymbolicLink(repo.resolve("api/.git-credentials"), secret);
        Files.createSymbolicLink(repo.resolve("infra/app"), outside);
        Files.createSymbolicLink(repo.resolve("infra/db/secrets.tf"), secret);
        String rule = ", outside the repository; Berth follows symbolic links only to files inside it";
        assertThatThrownBy(() -> DeployFiles.load(repo.resolve("berth.yml"), "berth.yml"))
                .isInstanceOfSatisfying(DeployFileException.class, e -> assertThat(e.problems()).extracting(Problem::toString)
                        .containsExactly(
                                "berth.yml:4:19: build context of image 'web': 'web/keys' is a symbolic link to '"
                                        + outside + "'" + rule,
                                "berth.yml:4:36: Dockerfile of image 'web': 'docker/web.Dockerfile' is a symbolic link to '"
                                        + secret + "'" + rule,
                                "berth.yml:5:19: build context of image 'api': 'api/.git-credentials' is a symbolic link to '"
                                        + secret + "'" + rule,
                                "berth.yml:7:27: script file of stage 'lint': 'lint.sh' is a symbolic link to '" + secret
                                        + "'" + rule,
                                "berth.yml:9:5: the script 'stop' of stage 'app' runs: 'stop.sh' is a symbolic link to '"
                                        + repo.relativize(secret) + "'" + rule,
                                "berth.yml:19:27: script file of stage 'drop': 'ops/drop.sh' is a symbolic link to '"
                                        + secret + "'" + rule,
                                "berth.yml:21:23: folder of stack 'app': 'infra/app' is a symbolic link to '" + outside
                                        + "'" + rule,
                                "berth.yml:22:22: folder of stack 'db': 'infra/db/secrets.tf' is a symbolic link to '"
                                        + secret + "'" + rule));
    }

    /** The same layout with every link inside the repository is valid, and a link the build ignores may go anywhere. */
    @Test
    void symbolicLinksInsideTheRepositoryAreFine() throws Exception {
        Files.writeString(repo.resolve("berth.yml"), LINKED);
        for (String folder : new String[] {"web", "api/.terraform", "docker", "ops", "infra/db", "real/app", "shared"}) {
            Files.createDirectories(repo.resolve(folder));
        }
        Files.writeString(repo.resolve("shared/Dockerfile"), "FROM scratch\n");
        Files.writeString(repo.resolve("shared/run.sh"), "true\n");
        Files.writeString(repo.resolve("real/app/main.tf"), "");
        Files.writeString(repo.resolve("infra/db/main.tf"), "");
        Files.createSymbolicLink(repo.resolve("lint.sh"), Path.of("shared/run.sh"));
        Files.createSymbolicLink(repo.resolve("stop.sh"), repo.resolve("shared/run.sh").toAbsolutePath());
        Files.createSymbolicLink(repo.resolve("ops/drop.sh"), Path.of("../shared/run.sh"));
        Files.createSymbolicLink(repo.resolve("docker/web.Dockerfile"), Path.of("../shared/Dockerfile"));
        Files.createSymbolicLink(repo.resolve("api/Dockerfile"), Path.of("../shared/Dockerfile"));
        Files.createSymbolicLink(repo.resolve("web/shared"), Path.of("../shared"));
        Files.createSymbolicLink(repo.resolve("infra/app"), Path.of("../real/app"));
        Files.createSymbolicLink(repo.resolve("infra/db/common.tf"), Path.of("../../real/app/main.tf"));
        // Left out of what the build and the copy take, so never followed: a .dockerignore'd link, Terraform's own folder.
        Files.writeString(repo.resolve("api/.dockerignore"), "cache\n");
        Files.createSymbolicLink(repo.resolve("api/cache"), Path.of("/"));
        Files.createDirectories(repo.resolve("infra/db/.terraform"));
        Files.createSymbolicLink(repo.resolve("infra/db/.terraform/providers"), Path.of("/"));
        DeployFile file = DeployFiles.load(repo.resolve("berth.yml"), "berth.yml");
        assertThat(file.infrastructure()).hasSize(2);
    }
}
