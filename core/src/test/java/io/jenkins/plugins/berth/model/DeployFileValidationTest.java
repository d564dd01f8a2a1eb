package io.jenkins.plugins.berth.model;

import static io.jenkins.plugins.berth.TestFiles.problems;
import static io.jenkins.plugins.berth.TestFiles.valid;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every kind of problem the validator knows, each with the exact position it is reported at. */
class DeployFileValidationTest {

    @Test
    void minimalFileIsValid() {
        DeployFile file = valid("version: 1\n");
        assertThat(file.version()).isEqualTo(1);
        assertThat(file.environment().name().toString()).isEqualTo("${PROJECT}-${BRANCH_SLUG}");
        assertThat(file.stages()).isEmpty();
    }

    @Test
    void releaseBranchesDefaultToMainAndMasterAndAreCheckedWithPositions() {
        assertThat(valid("version: 1\n").releaseBranches().names()).containsExactly("main", "master");
        assertThat(valid("version: 1\nrelease_branches: [trunk, release/v2]\n").releaseBranches().names())
                .containsExactly("trunk", "release/v2");
        assertThat(problems("version: 1\nrelease_branches: []\n")).containsExactly(
                "berth.yml:2:19: 'release_branches' is empty: list the branches the project releases from (for"
                        + " example [main]), or leave the key out for main and master");
        assertThat(problems("version: 1\nrelease_branches: [main, main]\n")).containsExactly(
                "berth.yml:2:26: branch 'main' is listed twice in 'release_branches'");
        assertThat(problems("version: 1\nrelease_branches: main\n")).hasSize(1)
                .allMatch(p -> p.startsWith("berth.yml:2:19: 'release_branches' must be a list"));
    }

    @Test
    void targetAndPlatformsAreCheckedWithPositions() {
        String head = "version: 1\nregistry: 127.0.0.1:5000/shop\nimages:\n  web:\n";
        DeployFile file = valid(head + "    target: runtime\n    platforms: [linux/amd64, linux/arm/v7]\n");
        assertThat(file.images().get("web").target()).map(ImageSpec.Setting::value).contains("runtime");
        assertThat(file.images().get("web").platforms()).extracting(ImageSpec.Setting::value)
                .containsExactly("linux/amd64", "linux/arm/v7");
        assertThat(problems(head + "    target: \"run time\"\n    platforms: [Linux/AMD64, linux/amd64, linux/amd64]\n"))
                .containsExactly(
                        "berth.yml:5:13: image 'web'.target 'run time' is not a build stage name: a letter, then"
                                + " letters, digits, '_', '.' and '-' (FROM ... AS NAME)",
                        "berth.yml:6:17: 'Linux/AMD64' is not a platform: os/architecture[/variant] in lowercase,"
                                + " such as linux/amd64 or linux/arm/v7",
                        "berth.yml:6:43: platform 'linux/amd64' is listed twice in image 'web'");
        assertThat(problems(head + "    platforms: []\n")).containsExactly("berth.yml:5:16: image 'web'.platforms is"
                + " empty: list at least one platform such as linux/amd64, or leave the key out for the builder's own");
        assertThat(problems("builder: buildah\n" + head + "    platforms: [linux/amd64, linux/arm64]\n"))
                .containsExactly("berth.yml:6:30: image 'web' lists 2 platforms, but builder 'buildah' builds one"
                        + " platform per image in Berth; list one, or use 'builder: buildx' for an image index of several");
    }

    @Test
    void aRepositoryTemplateIsCheckedWithPositions() {
        String head = "version: 1\nproject: shop\nregistry: 127.0.0.1:5000/acme\nimages:\n";
        DeployFile file = valid(head + "  web: { repository: \"${PROJECT}/${BERTH_ENVIRONMENT}/${IMAGE}\" }\n"
                + "  api: {}\n");
        Registry registry = file.registry().orElseThrow();
        assertThat(ImageRepositories.of(registry, file.images().get("web"), "shop", "shop-main"))
                .isEqualTo("acme/shop/shop-main/web");
        // Without the key: today's layout, the registry's path and the image's name.
        assertThat(ImageRepositories.of(registry, file.images().get("api"), "shop", "shop-main")).isEqualTo("acme/api");
        assertThat(ImageRepositories.perEnvironment(file.images().get("web"))).isTrue();
        assertThat(ImageRepositories.perEnvironment(file.images().get("api"))).isFalse();

        assertThat(problems(head + "  web: { repository: \"${PROJECT}/${BRANCH}/${IMAGES}\" }\n")).containsExactly(
                "berth.yml:5:34: images.web.repository can use ${PROJECT}, ${BERTH_PROJECT}, ${BERTH_ENVIRONMENT} and"
                        + " ${IMAGE}, not ${BRANCH}",
                "berth.yml:5:44: images.web.repository can use ${PROJECT}, ${BERTH_PROJECT}, ${BERTH_ENVIRONMENT} and"
                        + " ${IMAGE}, not ${IMAGES}; did you mean 'IMAGE'?");
        assertThat(problems(head + "  web: { repository: \"Team/${IMAGE}\" }\n")).containsExactly(
                "berth.yml:5:22: images.web.repository gives 'acme/Team/web' is not a repository name: lowercase letters"
                        + " and digits, parts separated by '/', words by '.', '_', '__' or '-'");
        assertThat(problems(head + "  web: { repository: \"${IMAGE}/\" }\n")).hasSize(1)
                .allMatch(p -> p.startsWith("berth.yml:5:22: images.web.repository gives 'acme/web/' is not"));
        assertThat(problems(head + "  web: { repository: \"" + "x".repeat(200) + "/${BERTH_ENVIRONMENT}\" }\n"))
                .hasSize(1).allMatch(p -> p.startsWith("berth.yml:5:22: images.web.repository gives 'acme/xxx")
                        && p.endsWith("' is longer than 255 characters, which registries refuse"));
        // Two images in one repository would move each other's tags, also against an image without the key.
        assertThat(problems(head + "  api: {}\n  web: { repository: api }\n  worker: { repository: \"${PROJECT}\" }\n"
                + "  cron: { repository: \"${BERTH_PROJECT}\" }\n")).containsExactly(
                "berth.yml:6:22: images 'api' and 'web' would share the repository acme/api (and move each other's"
                        + " tags); use ${IMAGE} in images.web.repository",
                "berth.yml:8:23: images 'worker' and 'cron' would share the repository acme/shop (and move each other's"
                        + " tags); use ${IMAGE} in images.cron.repository");
        // Release stages promote into each stage's repository by blob mount; in ECR only within one repository.
        assertThat(problems(head + "  web: { repository: \"${BERTH_ENVIRONMENT}/${IMAGE}\" }\nrelease:\n"
                + "  - stage: staging\n")).isEmpty();
        assertThat(problems(head.replace("registry: 127.0.0.1:5000/acme", "registry: { ecr: { account: \"123456789012\","
                + " region: eu-west-1, repository: acme } }") + "  web: { repository: \"${BERTH_ENVIRONMENT}/${IMAGE}\" }\n"
                + "release:\n  - stage: staging\n")).containsExactly("berth.yml:5:22: images.web.repository uses"
                        + " ${BERTH_ENVIRONMENT}, so every environment has its own repository, but 'release' stages in"
                        + " ECR promote by retagging within one repository: leave ${BERTH_ENVIRONMENT} out, or use a"
                        + " registry address");
        assertThat(problems(head + "  web: { repository: [a] }\n")).hasSize(1)
                .allMatch(p -> p.startsWith("berth.yml:5:22: "));
    }

    @Test
    void missingVersion() {
        assertThat(problems("project: shop\n")).containsExactly(
                "berth.yml:1:1: missing 'version'; add 'version: 1' as the first line");
    }

    @Test
    void unsupportedVersion() {
        assertThat(problems("version: 2\n")).containsExactly(
                "berth.yml:1:10: unsupported version 2; this Berth reads version 1 deploy files");
    }

    @Test
    void versionOfWrongType() {
        assertThat(problems("version: \"1\"\n")).containsExactly(
                "berth.yml:1:10: 'version' must be a whole number, not the text '1'");
    }

    @Test
    void unknownKeysAtEveryLevelWithSuggestions() {
        assertThat(problems("""
                version: 1
                stags: []
                environment:
                  tll: 3d
                init_stages:
                  - name: a
                    run: x
                    on_failur: continue
                """)).containsExactly(
                "berth.yml:2:1: unknown key 'stags' in the deploy file; did you mean 'stages'?",
                "berth.yml:4:3: unknown key 'tll' in 'environment'; did you mean 'ttl'?",
                "berth.yml:8:5: unknown key 'on_failur' in 'init_stages[0]'; did you mean 'on_failure'?");
    }

    @Test
    void unknownKeyWithoutCloseMatchListsTheKnownOnes() {
        assertThat(problems("version: 1\nenvironment:\n  colour: red\n")).containsExactly(
                "berth.yml:3:3: unknown key 'colour' in 'environment' (known keys: name, ttl, protected)");
    }

    @Test
    void duplicateKeysAreErrorsEvenThoughSnakeYamlNodesAllowThem() {
        assertThat(problems("""
                version: 1
                project: a
                project: b
                variables:
                  X: 1
                  X: 2
                """)).containsExactly(
                "berth.yml:3:1: duplicate key 'project' in the deploy file (first given at line 2); keep one",
                "berth.yml:6:3: duplicate key 'X' in 'variables' (first given at line 5); keep one");
    }

    @Test
    void wrongTypes() {
        assertThat(problems("""
                version: 1
                environment: [a]
                variables: x
                init_stages: {name: a}
                stages:
                  - name: [x]
                    run: echo
                    always: "yes"
                """)).containsExactly(
                "berth.yml:2:14: 'environment' must be a map of keys and values, not a list",
                "berth.yml:3:12: 'variables' must be a map of keys and values, not the text 'x'",
                "berth.yml:4:14: 'init_stages' must be a list (items start with '- '), not a map",
                "berth.yml:6:11: 'stages[0].name' must be text, not a list",
                "berth.yml:8:13: 'stages[0]'.always must be true or false, not the text 'yes'");
    }

    @Test
    void duplicateStageAndStackNames() {
        assertThat(problems("""
                version: 1
                init_stages:
                  - name: test
                    run: a
                stages:
                  - name: test
                    run: b
                infrastructure:
                  - name: app
                    dir: infra
                  - name: app
                    dir: infra2
                """)).containsExactly(
                "berth.yml:6:5: a stage named 'test' already exists (line 3); stage names are unique across"
                        + " init_stages, stages and teardown",
                "berth.yml:11:5: a stack named 'app' already exists (line 9); stack names are unique");
    }

    @Test
    void runTogetherWithScript() {
        assertThat(problems("""
                version: 1
                stages:
                  - name: build
                    run: make
                    script: build.sh
                """)).containsExactly(
                "berth.yml:5:5: stage 'build' has more than one of 'run', 'script' and 'deploy'; a stage does one"
                        + " thing: split it into two stages");
    }

    @Test
    void stageThatDoesNothing() {
        assertThat(problems("version: 1\nteardown:\n  - name: x\n")).containsExactly(
                "berth.yml:3:5: stage 'x' does nothing: give it 'run' (inline script), 'script' (a file in the repository)");
    }

    @Test
    void badEnumValues() {
        assertThat(problems("""
                version: 1
                stages:
                  - name: a
                    run: x
                    on_failure: contine
                  - name: pub
                    deploy:
                      strategy: canary
                      target: k8s
                      health: { url: "http://x" }
                """)).containsExactly(
                "berth.yml:5:17: stage 'a'.on_failure must be one of abort, continue, not 'contine'; did you mean"
                        + " 'continue'?",
                "berth.yml:8:17: stage 'pub'.deploy.strategy must be one of blue-green, not 'canary'",
                "berth.yml:9:15: stage 'pub'.deploy.target must be one of script, nginx, ecs, not 'k8s'");
    }

    @Test
    void badDurations() {
        assertThat(problems("""
                version: 1
                environment:
                  ttl: 3 days
                stages:
                  - name: pub
                    deploy:
                      strategy: blue-green
                      target: ecs
                      ecs: {region: r, cluster: c, listener: l, services: {blue: b, green: g}, target_groups: {blue: b, green: g}}
                      health: { url: "http://x", timeout: 2min, interval: 30 }
                """)).containsExactly(
                "berth.yml:3:8: 'environment.ttl' is not a duration: write a whole number and a unit (s, m, h or d),"
                        + " like 30s, 10m, 3h or 3d, not '3 days'",
                "berth.yml:10:43: stage 'pub'.deploy.health.timeout is not a duration: write a whole number and a unit"
                        + " (s, m, h or d), like 30s, 10m, 3h or 3d, not '2min'",
                "berth.yml:10:59: stage 'pub'.deploy.health.interval is not a duration: write a whole number and a"
                        + " unit (s, m, h or d), like 30s, 10m, 3h or 3d, not '30'");
    }

    @Test
    void unknownVariableReferenceIsReportedAtTheReference() {
        assertThat(problems("""
                version: 1
                variables:
                  GREETING: "hello ${NAEM}"
                  NAME: world
                """)).containsExactly(
                "berth.yml:3:20: unknown variable ${NAEM}; did you mean 'NAME'?; define it under 'variables' or"
                        + " 'secrets', or publish it as a stack output");
    }

    @Test
    void referencePositionsAreExactInEveryScalarStyle() {
        assertThat(problems("""
                version: 1
                variables:
                  A: 'x ${NOPE1}'
                  B: >-
                    folded
                    text ${NOPE2}
                  C: "tab\\t${NOPE3}"
                """)).containsExactly(
                "berth.yml:3:9: unknown variable ${NOPE1}; define it under 'variables' or 'secrets', or publish it as a"
                        + " stack output",
                "berth.yml:6:10: unknown variable ${NOPE2}; define it under 'variables' or 'secrets', or publish it as a"
                        + " stack output",
                "berth.yml:7:12: unknown variable ${NOPE3}; define it under 'variables' or 'secrets', or publish it as a"
                        + " stack output");
    }

    @Test
    void escapedDollarIsNotAReference() {
        DeployFile file = valid("version: 1\nvariables:\n  PRICE: \"$${HOME} costs $5\"\n");
        assertThat(file.variables().get("PRICE").value().resolve(n -> java.util.Optional.empty()))
                .isEqualTo("${HOME} costs $5");
    }

    @Test
    void brokenReferenceSyntax() {
        assertThat(problems("version: 1\nvariables:\n  A: \"${B\"\n  C: \"${1x}\"\n")).containsExactly(
                "berth.yml:3:7: '${' is not closed: write ${NAME}, or $${ for a literal '${'",
                "berth.yml:4:7: '${1x}' is not a variable reference: names use letters, digits and '_' and do not"
                        + " start with a digit (write $${ for a literal '${')");
    }

    @Test
    void overridingAnImmutableBerthVariable() {
        assertThat(problems("""
                version: 1
                variables:
                  BERTH_COMMIT: abc
                  BERTH_MINE: x
                secrets:
                  BERTH_ENVIRONMENT: cred
                """)).containsExactly(
                "berth.yml:3:3: BERTH_COMMIT is set by Berth and cannot be overridden; give the variable another name",
                "berth.yml:4:3: names starting with BERTH_ are reserved for Berth; give the variable another name",
                "berth.yml:6:3: BERTH_ENVIRONMENT is set by Berth and cannot be overridden; give the secret another name");
    }

    @Test
    void aReleaseStagesRegistryIsAnAddressAndNotOutOfEcr() {
        assertThat(problems("""
                version: 1
                registry: 127.0.0.1:5000/shop
                release:
                  - { stage: staging, registry: "https://prod.example.com/shop" }
                  - { stage: prod, registry: prod.example.com }
                  - { stage: live, registry: { ecr: x } }
                """)).containsExactly(
                "berth.yml:4:33: 'release.registry' must look like host[:port]/path (for example prod.example.com/shop):"
                        + " the registry and repository prefix the stage's images go to, without a scheme or a tag, not"
                        + " 'https://prod.example.com/shop'",
                "berth.yml:5:30: 'release.registry' must look like host[:port]/path (for example prod.example.com/shop):"
                        + " the registry and repository prefix the stage's images go to, without a scheme or a tag, not"
                        + " 'prod.example.com'",
                "berth.yml:6:30: 'release.registry' must be text, not a map");
        assertThat(problems("""
                version: 1
                registry: { ecr: { account: "123456789012", region: us-east-1, repository: shop } }
                release:
                  - { stage: prod, registry: prod.example.com/shop }
                """)).containsExactly("berth.yml:4:5: release stage 'prod' names a registry, but the images are in ECR,"
                + " which Berth promotes only within each image's ECR repository: remove 'registry' from the stage");
        assertThat(valid("""
                version: 1
                registry: 127.0.0.1:5000/shop
                release:
                  - { stage: prod, registry: "prod.example.com:443/live" }
                """).release().get(0).registry()).hasValue(new Registry.Address("prod.example.com:443/live"));
    }

    @Test
    void imageTagEqualToAReleaseStage() {
        assertThat(problems("""
                version: 1
                registry: 127.0.0.1:5000/shop
                images:
                  web:
                    tags: [latest, prod]
                release:
                  - stage: staging
                  - stage: prod
                """)).containsExactly(
                "berth.yml:5:20: tag 'prod' of image 'web' is also a release stage; promotion moves that tag, so a"
                        + " build must not set it: remove the tag");
    }

    @Test
    void urlMustNameADeclaredOutput() {
        assertThat(problems("""
                version: 1
                infrastructure:
                  - name: app
                    dir: infra/app
                    outputs: { APP_URL: url }
                    url: APP_ULR
                  - name: db
                    dir: infra/db
                    url: DB
                """)).containsExactly(
                "berth.yml:6:10: stack 'app'.url names 'APP_ULR', which is not one of its outputs (APP_URL); did you"
                        + " mean 'APP_URL'?",
                "berth.yml:7:5: stack 'db' sets 'url' but stack 'app' already does; an environment has one URL",
                "berth.yml:9:10: stack 'db'.url names 'DB', which is not one of its outputs; declare it under 'outputs'"
                        + " (VARIABLE: terraform_output)");
    }

    @Test
    void outputsAreNotVisibleBeforeTheirStack() {
        assertThat(problems("""
                version: 1
                registry: 127.0.0.1:5000/shop
                images:
                  web:
                    args: { URL: "${APP_URL}", PW: "${DB_PASSWORD}" }
                secrets: { DB_PASSWORD: db }
                infrastructure:
                  - name: first
                    dir: a
                    vars: { url: "${APP_URL}" }
                  - name: app
                    dir: b
                    outputs: { APP_URL: url }
                """)).containsExactly(
                "berth.yml:5:19: ${APP_URL} cannot be used here: APP_URL is an output of stack 'app', which is applied"
                        + " after the init stages and the images",
                "berth.yml:5:37: ${DB_PASSWORD} cannot be used here: DB_PASSWORD is a secret, and secrets are not passed"
                        + " as build arguments: they would stay in the image's history",
                "berth.yml:10:19: ${APP_URL} cannot be used here: APP_URL is an output of stack 'app', which stack"
                        + " 'first' does not come after; add 'app' to its needs");
    }

    @Test
    void variablesInheritTheAvailabilityOfWhatTheyUse() {
        assertThat(problems("""
                version: 1
                variables: { API: "${APP_URL}/api" }
                registry: 127.0.0.1:5000/shop
                images:
                  web:
                    args: { API: "${API}" }
                infrastructure:
                  - name: app
                    dir: b
                    outputs: { APP_URL: url }
                """)).containsExactly(
                "berth.yml:6:19: ${API} cannot be used here: API uses ${APP_URL}, which is an output of stack 'app',"
                        + " which is applied after the init stages and the images");
    }

    /**
     * A shared stack is applied once for the project: what differs from one environment to another (the environment,
     * branch, commit, images built from the branch), directly or through a variable, cannot reach it; what is the
     * same for every environment can (the project, the registry, secrets, plain variables, shared stacks' outputs).
     */
    @Test
    void aSharedStackUsesOnlyWhatIsTheSameForEveryEnvironment() {
        String sharedOnly = " differs from one environment to another, and stack 'db' is shared: it is applied once for"
                + " the whole project, and every environment's deploy would change it again. A shared stack can use"
                + " what is the same for every environment (BERTH_PROJECT, BERTH_REGISTRY, secrets, variables made of"
                + " those, outputs of shared stacks); use one of those, or make 'db' an environment's own stack (remove"
                + " 'shared: true')";
        assertThat(problems("""
                version: 1
                registry: 127.0.0.1:5000/shop
                images: { web: {} }
                secrets: { DB_PASSWORD: db }
                variables: { SIZE: small, DB_NAME: "db-${BERTH_BRANCH_SLUG}", LABEL: "${BERTH_PROJECT}-${SIZE}" }
                infrastructure:
                  - name: net
                    dir: net
                    shared: true
                    outputs: { NET_ID: id }
                  - name: db
                    dir: db
                    shared: true
                    vars:
                      name: "${BERTH_ENVIRONMENT}"
                      branch: "${BERTH_BRANCH} ${BERTH_COMMIT}"
                      db_name: "${DB_NAME}"
                      image: "${BERTH_IMAGE_WEB}"
                      fine: "${BERTH_PROJECT} ${BERTH_REGISTRY} ${DB_PASSWORD} ${LABEL} ${NET_ID}"
                  - name: app
                    dir: app
                    vars: { name: "${BERTH_ENVIRONMENT}", db_name: "${DB_NAME}", image: "${BERTH_IMAGE_WEB}" }
                """)).containsExactly(
                "berth.yml:15:14: ${BERTH_ENVIRONMENT} cannot be used here: BERTH_ENVIRONMENT" + sharedOnly,
                "berth.yml:16:16: ${BERTH_BRANCH} cannot be used here: BERTH_BRANCH" + sharedOnly,
                "berth.yml:16:32: ${BERTH_COMMIT} cannot be used here: BERTH_COMMIT" + sharedOnly,
                "berth.yml:17:17: ${DB_NAME} cannot be used here: DB_NAME uses ${BERTH_BRANCH_SLUG}, which" + sharedOnly,
                "berth.yml:18:15: ${BERTH_IMAGE_WEB} cannot be used here: BERTH_IMAGE_WEB is an image built from the"
                        + " branch's content, which" + sharedOnly);
    }

    @Test
    void colorIsOnlyKnownInsideADeploy() {
        assertThat(problems("""
                version: 1
                infrastructure:
                  - name: app
                    dir: b
                    vars: { color: "${BERTH_COLOR}", url: "${BERTH_ENV_URL}" }
                """)).containsExactly(
                "berth.yml:5:21: ${BERTH_COLOR} cannot be used here: BERTH_COLOR is only set inside a blue-green"
                        + " 'deploy'",
                "berth.yml:5:44: ${BERTH_ENV_URL} cannot be used here: BERTH_ENV_URL is known after the infrastructure"
                        + " phase");
    }

    @Test
    void variableCycles() {
        assertThat(problems("version: 1\nvariables:\n  A: \"${B}\"\n  B: \"${A}\"\n")).containsExactly(
                "berth.yml:3:3: variables refer to each other in a circle: A -> B -> A; one of them needs a plain value");
    }

    @Test
    void environmentNameTemplateUsesOnlyItsOwnVariables() {
        assertThat(problems("version: 1\nenvironment:\n  name: \"pr-${BRANCH_SLG}\"\n")).containsExactly(
                "berth.yml:3:13: environment.name can use ${PROJECT}, ${BRANCH} and ${BRANCH_SLUG}, not"
                        + " ${BRANCH_SLG}; did you mean 'BRANCH_SLUG'?");
    }

    @Test
    void stackNeeds() {
        assertThat(problems("""
                version: 1
                infrastructure:
                  - name: a
                    dir: a
                    needs: [c]
                  - name: b
                    dir: b
                    needs: [a, nope]
                  - name: c
                    dir: c
                    needs: [a]
                """)).containsExactly(
                "berth.yml:8:16: stack 'b' needs 'nope', which is not a stack in this file");
        assertThat(problems("""
                version: 1
                infrastructure:
                  - name: a
                    dir: a
                    needs: [c]
                  - name: c
                    dir: c
                    needs: [a]
                """)).containsExactly(
                "berth.yml:5:13: stack needs form a cycle: a -> c -> a; remove one of these needs");
        assertThat(problems("""
                version: 1
                infrastructure:
                  - name: env
                    dir: a
                  - name: db
                    dir: b
                    shared: true
                    needs: [env]
                """)).containsExactly(
                "berth.yml:8:13: shared stack 'db' cannot need 'env': shared stacks are applied once per project,"
                        + " before any environment's own stacks");
    }

    @Test
    void namesMustBeUsable() {
        assertThat(problems("""
                version: 1
                project: My Shop
                variables: { 1X: a, my-var: b }
                registry: 127.0.0.1:5000/shop
                images:
                  Web: {}
                release:
                  - stage: Prod
                  - stage: latest
                """)).containsExactly(
                "berth.yml:2:10: 'project' must be lowercase letters, digits and '-', at most 63 characters, starting"
                        + " and ending with a letter or digit (it becomes part of environment and image names), not 'My Shop'",
                "berth.yml:3:14: variable name '1X' is not a valid environment variable name: use letters, digits and"
                        + " '_', not starting with a digit",
                "berth.yml:3:21: variable name 'my-var' is not a valid environment variable name: use letters, digits"
                        + " and '_', not starting with a digit",
                "berth.yml:6:3: image name 'Web' must be lowercase letters and digits, separated by single '.', '_' or"
                        + " '-' (it becomes a repository name)",
                "berth.yml:8:12: release stage 'Prod' must be lowercase letters, digits and '-', at most 63 (it becomes"
                        + " an image tag and part of an environment name)",
                "berth.yml:9:5: a release stage cannot be called 'latest': promotion starts from the 'latest' tag");
    }

    @Test
    void pathsStayInsideTheRepository() {
        assertThat(problems("version: 1\nstages:\n  - name: a\n    script: ../evil.sh\n")).containsExactly(
                "berth.yml:4:13: stage 'a'.script must be a relative path inside the repository (no leading '/', no"
                        + " '..'), not '../evil.sh'");
    }

    @Test
    void ecsNamesAreSentAsWrittenSoAReferenceInThemIsAnError() {
        assertThat(problems("""
                version: 1
                stages:
                  - name: pub
                    deploy:
                      strategy: blue-green
                      target: ecs
                      ecs:
                        region: eu-west-1
                        cluster: "shop-${BERTH_ENVIRONMENT}"
                        listener: arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/x/1/2
                        services: { blue: "web-${BERTH_COLOR}", green: web-green }
                        target_groups: { blue: tg-blue, green: tg-green }
                      health: { url: "https://${BERTH_COLOR}.example.com/health" }
                """)).containsExactly(
                "berth.yml:9:18: stage 'pub'.deploy.ecs.cluster is sent to AWS as written and cannot use ${...}: write"
                        + " the name itself, not 'shop-${BERTH_ENVIRONMENT}'",
                "berth.yml:11:19: stage 'pub'.deploy.ecs.services are sent to AWS as written and cannot use ${...}:"
                        + " write the service names");
    }

    @Test
    void anNginxUpstreamMustBeOneName() {
        assertThat(problems("""
                version: 1
                stages:
                  - name: pub
                    deploy:
                      strategy: blue-green
                      target: nginx
                      colors: { blue: 8081, green: 8082 }
                      start: ./start.sh
                      nginx: { upstream: "app x", upstream_file: upstream.conf }
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/" }
                      drain: soon
                """)).containsExactly(
                "berth.yml:9:26: stage 'pub'.deploy.nginx.upstream 'app x' is not an nginx upstream name: letters,"
                        + " digits, '_', '.' and '-', starting with a letter, digit or '_' (it is written as"
                        + " 'upstream NAME { ... }')",
                "berth.yml:11:14: stage 'pub'.deploy.drain is not a duration: write a whole number and a unit (s, m,"
                        + " h or d), like 30s, 10m, 3h or 3d, not 'soon'");
    }

    @Test
    void gatesHooksSharedFolderAndPreviewAreRead() {
        Deploy deploy = ((Stage.DeployAction) valid("""
                version: 1
                stages:
                  - name: pub
                    deploy:
                      strategy: blue-green
                      target: nginx
                      colors: { blue: 8081, green: 8082 }
                      start: ./start.sh
                      nginx: { upstream: app, upstream_file: upstream.conf }
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/" }
                      before_start: ./ops/migrate.sh
                      before_switch: ./ops/smoke.sh "$BERTH_PREVIEW_URL"
                      after_switch: ./ops/notify.sh
                      approval: { timeout: 30m, default: approve }
                      shared_dir: data
                      preview_url: "http://127.0.0.1:8090"
                """).stages().get(0).action()).deploy();
        assertThat(deploy.hooks()).isEqualTo(new Deploy.Hooks(java.util.Optional.of("./ops/migrate.sh"),
                java.util.Optional.of("./ops/smoke.sh \"$BERTH_PREVIEW_URL\""), java.util.Optional.of("./ops/notify.sh")));
        assertThat(deploy.approval()).hasValue(new Deploy.Approval(java.util.Optional.of(java.time.Duration.ofMinutes(30)),
                Deploy.Decision.APPROVE, false));
        assertThat(deploy.sharedDir().map(t -> t.render(n -> java.util.Optional.empty()))).hasValue("data");
        assertThat(deploy.previewUrl()).isPresent();
    }

    @Test
    void anApprovalIsTrueATimeoutWithADefaultOrATimedPromotion() {
        java.util.function.Function<String, java.util.Optional<Deploy.Approval>> read = approval -> ((Stage.DeployAction)
                valid(GATED.formatted(approval)).stages().get(0).action()).deploy().approval();
        assertThat(read.apply("true")).hasValue(Deploy.Approval.ASK);
        assertThat(read.apply("false")).isEmpty();
        assertThat(read.apply("{ after: 10m }")).hasValue(new Deploy.Approval(
                java.util.Optional.of(java.time.Duration.ofMinutes(10)), Deploy.Decision.APPROVE, true));
        assertThat(read.apply("{ timeout: 5m }")).hasValue(new Deploy.Approval(
                java.util.Optional.of(java.time.Duration.ofMinutes(5)), Deploy.Decision.REJECT, false));
        assertThat(problems(GATED.formatted("{ after: 10m, default: reject }"))).containsExactly(
                "berth.yml:10:19: stage 'pub'.deploy.approval.after approves once the time is over, so it takes no"
                        + " 'timeout' or 'default': give either 'after', or 'timeout' and 'default'");
        assertThat(problems(GATED.formatted("{ timeout: 0s, default: maybe, when: later }"))).containsExactly(
                "berth.yml:10:28: stage 'pub'.deploy.approval.timeout must be longer than 0s",
                "berth.yml:10:41: stage 'pub'.deploy.approval.default must be one of approve, reject, not 'maybe'",
                "berth.yml:10:48: unknown key 'when' in 'stage 'pub'.deploy.approval' (known keys: timeout, default,"
                        + " after)");
    }

    @Test
    void aSharedFolderStaysOutOfParentsAndTheRootAndIsNoneOfEcs() {
        assertThat(problems(GATED.formatted("true").replace("approval: true", "shared_dir: ../elsewhere"))).containsExactly(
                "berth.yml:10:19: stage 'pub'.deploy.shared_dir must be a relative path (kept in the environment's"
                        + " folder of the Berth state) or an absolute one at least two levels deep (teardown deletes"
                        + " it), without '..' or '~', not '../elsewhere'");
        assertThat(problems(GATED.formatted("true").replace("approval: true", "shared_dir: /srv"))).hasSize(1);
        assertThat(problems(GATED.formatted("true").replace("approval: true", "shared_dir: /srv/${BERTH_ENVIRONMENT}")))
                .isEmpty();
        assertThat(problems("""
                version: 1
                stages:
                  - name: pub
                    deploy:
                      strategy: blue-green
                      target: ecs
                      ecs: { region: eu-west-1, cluster: c, listener: l, services: { blue: b, green: g },
                             target_groups: { blue: tb, green: tg } }
                      health: { url: "https://x/health" }
                      shared_dir: data
                """)).containsExactly("berth.yml:10:7: 'shared_dir' does not apply to target ecs; remove it or change"
                        + " the target");
    }

    @Test
    void portsAreNumbersTemplatesOrAuto() {
        assertThat(problems(GATED.formatted("true").replace("colors: { blue: 8081, green: 8082 }", "colors: sometimes")))
                .containsExactly("berth.yml:7:15: stage 'pub'.deploy.colors must be 'auto' or { blue: PORT, green: PORT },"
                        + " not 'sometimes'");
        assertThat(problems(GATED.formatted("true").replace("colors: { blue: 8081, green: 8082 }",
                "colors: { blue: \"${NOPE}\", green: 8082 }"))).hasSize(1).allMatch(p -> p.contains("NOPE"));
        Deploy auto = ((Stage.DeployAction) valid(GATED.formatted("true").replace("colors: { blue: 8081, green: 8082 }",
                "colors: auto")).stages().get(0).action()).deploy();
        assertThat(auto.colors()).isEmpty();
        assertThat(auto.colorPorts()).hasValueSatisfying(p -> assertThat(p.auto()).isTrue());
    }

    private static final String GATED = """
            version: 1
            stages:
              - name: pub
                deploy:
                  strategy: blue-green
                  target: script
                  colors: { blue: 8081, green: 8082 }
                  start: ./start.sh
                  switch: ./switch.sh
                  approval: %s
                  health: { url: "http://127.0.0.1:${BERTH_PORT}/" }
            """;

    @Test
    void deployTargetsNeedTheirKeys() {
        assertThat(problems("""
                version: 1
                stages:
                  - name: pub
                    deploy:
                      strategy: blue-green
                      target: nginx
                      switch: ./switch.sh
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/" }
                """)).containsExactly(
                "berth.yml:5:7: stage 'pub'.deploy with target nginx needs 'colors'",
                "berth.yml:5:7: stage 'pub'.deploy with target nginx needs 'nginx'",
                "berth.yml:5:7: stage 'pub'.deploy with target nginx needs 'start'",
                "berth.yml:7:7: 'switch' does not apply to target nginx; remove it or change the target");
    }

    @Test
    void deployOnlyInStages() {
        assertThat(problems("""
                version: 1
                init_stages:
                  - name: pub
                    deploy:
                      strategy: blue-green
                      target: ecs
                      ecs: {region: r, cluster: c, listener: l, services: {blue: b, green: g}, target_groups: {blue: b, green: g}}
                      health: { url: "http://x" }
                """)).containsExactly(
                "berth.yml:4:5: 'deploy' belongs in 'stages' (after the infrastructure), not in 'init_stages'");
    }

    @Test
    void nameClashesBetweenVariablesSecretsAndOutputs() {
        assertThat(problems("""
                version: 1
                variables: { DB: a }
                secrets: { DB: cred }
                infrastructure:
                  - name: app
                    dir: x
                    outputs: { DB: host }
                """)).containsExactly(
                "berth.yml:3:12: DB is already defined as a variable (line 2); each name has one source: rename one of them",
                "berth.yml:7:16: DB is already defined as a variable (line 2); each name has one source: rename one of them");
    }

    @Test
    void imagesNeedARegistry() {
        assertThat(problems("version: 1\nimages:\n  web: {}\n")).containsExactly(
                "berth.yml:3:3: images need a registry to be pushed to: add 'registry: host:port/project' (or"
                        + " 'registry: { ecr: ... }')");
    }

    @Test
    void allProblemsAreReportedAtOnceInFileOrder() {
        assertThat(problems("""
                version: 3
                stags: []
                environment: { ttl: forever }
                variables: { BERTH_BRANCH: x }
                """)).hasSize(4).isSorted();
    }

    @Test
    void terraformSettings() {
        assertThat(problems("""
                version: 1
                terraform: { binary: tofu, backend: s3, s3: { bucket: states, region: eu-west-1 } }
                """)).isEmpty();
        assertThat(problems("""
                version: 1
                terraform: { backend: gcs }
                """)).singleElement().asString().isEqualTo("berth.yml:2:23: 'terraform.backend' must be one of http, s3, not 'gcs'");
        assertThat(problems("""
                version: 1
                terraform:
                  backend: s3
                """)).containsExactly("berth.yml:2:1: 'terraform.backend: s3' needs an 's3' block with at least"
                + " 'bucket' and 'region'");
        assertThat(problems("""
                version: 1
                terraform:
                  s3: { bucket: b, region: r }
                """)).containsExactly("berth.yml:3:3: 'terraform.s3' is only used with 'backend: s3'; add"
                + " 'backend: s3' or remove 's3'");
        assertThat(problems("""
                version: 1
                terraform:
                  backend: s3
                  s3: { bucket: b, region: r, dynamodb_table: locks, use_lockfile: true, prefix: x }
                """)).containsExactly(
                "berth.yml:4:54: 'terraform.s3' locks with 'dynamodb_table' or 'use_lockfile', not both",
                "berth.yml:4:74: unknown key 'prefix' in 'terraform.s3' (known keys: bucket, key_prefix, region,"
                        + " dynamodb_table, use_lockfile, endpoint)");
    }

    /** A value quoted in a message cannot break the one-line FILE:LINE:COLUMN shape; each problem is one line. */
    @Test
    void aValueWithLineBreaksIsEscapedSoEveryProblemStaysOneLine() {
        String yaml = "version: 1\n\"bad\\nkey\\r\": 1\ninit_stages:\n  - name: a\n    run: x\n"
                + "    on_failure: \"abort\\u2028x\"\n";
        assertThat(problems(yaml)).containsExactly(
                "berth.yml:2:1: unknown key 'bad\\nkey\\r' in the deploy file (known keys: version, project, image,"
                        + " agent, environment, variables, secrets, registry, builder, images, builds, terraform, init_stages,"
                        + " infrastructure, stages, release, release_branches, teardown, kaniko_job)",
                "berth.yml:6:17: stage 'a'.on_failure must be one of abort, continue, not 'abort\\u2028x'; did you"
                        + " mean 'abort'?");
        try {
            DeployFiles.parse("berth.yml", yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Optional.empty());
        } catch (DeployFileException e) {
            assertThat(e.getMessage().lines()).hasSize(e.problems().size());
        }
    }

    /** Old Mac files end lines with a lone CR: positions count it as a line break, as YAML does. */
    @Test
    void positionsAreRightWithCarriageReturnLineEndings() {
        assertThat(problems("version: 1\rproject: My_Shop\r")).singleElement().asString()
                .startsWith("berth.yml:2:10: 'project' must be lowercase");
        assertThat(problems("version: 1\r\nproject: My_Shop\r\n")).singleElement().asString()
                .startsWith("berth.yml:2:10: 'project' must be lowercase");
        assertThat(problems("version: 1\u2028project: My_Shop\n")).singleElement().asString()
                .startsWith("berth.yml:2:10: 'project' must be lowercase");
    }

    /** Values that no process argument or environment can hold fail validation, not the run after its record. */
    @Test
    void nulAndHalfSurrogatesFromEscapesAreRefusedWhereTheyAreWritten() {
        assertThat(problems("""
                version: 1
                variables:
                  A: "x\\0y"
                  B: "\\ud800"
                  "C\\x00": z
                  D: "\\U0001F600 is fine"
                init_stages:
                  - name: a
                    run: "echo \\x00"
                """)).containsExactly(
                "berth.yml:3:6: variable 'A' holds the character U+0000 (NUL, from an escape), which no process"
                        + " argument or environment variable can hold; remove it",
                "berth.yml:4:6: variable 'B' holds U+D800 (half a surrogate pair, from an escape), which is no"
                        + " character and cannot be passed to a process; remove it",
                "berth.yml:5:3: a key of 'variables' holds the character U+0000 (NUL, from an escape), which no"
                        + " process argument or environment variable can hold; remove it",
                "berth.yml:9:10: stage 'a'.run holds the character U+0000 (NUL, from an escape), which no"
                        + " process argument or environment variable can hold; remove it");
    }

    /** One long anchored value referenced many times: bounded by the text it expands to, at the alias that went over. */
    @Test
    void aliasesOfALongValueAreBoundedByTheTextTheyExpandTo() {
        StringBuilder yaml = new StringBuilder("version: 1\nvariables:\n  A: &x \"" + "a".repeat(200_000) + "\"\n");
        for (int i = 0; i < 60_000; i++) {
            yaml.append("  V").append(i).append(": *x\n");
        }
        assertThat(problems(yaml.toString())).containsExactly("berth.yml:23:8: the values add up to more than 4194304"
                + " characters here, through aliases (*name) of long values; a deploy file needs far less: write the"
                + " values out, or refer to a long value a few times only");
        // A few references to a long value are fine.
        StringBuilder few = new StringBuilder("version: 1\nvariables:\n  A: &x \"" + "a".repeat(200_000) + "\"\n");
        for (int i = 0; i < 10; i++) {
            few.append("  V").append(i).append(": *x\n");
        }
        assertThat(problems(few.toString())).isEmpty();
    }
}
