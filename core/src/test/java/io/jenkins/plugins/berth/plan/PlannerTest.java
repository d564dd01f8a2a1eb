package io.jenkins.plugins.berth.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jenkins.plugins.berth.TestFiles;
import io.jenkins.plugins.berth.model.DeployFile;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final String FILE = """
            version: 1
            project: shop
            variables: { NODE_ENV: production, API: "${APP_URL}/api", WHERE: "${BERTH_ENVIRONMENT}" }
            secrets: { DB_PASSWORD: shop-db-password }
            registry: 127.0.0.1:5000/shop
            images:
              web: { context: web, tags: [stable] }
              worker: { context: worker }
            init_stages:
              - { name: test, run: make test }
            infrastructure:
              - { name: db, dir: db, shared: true, outputs: { DB_HOST: host } }
              - { name: net, dir: net, needs: [] }
              - { name: cache, dir: cache, needs: [] }
              - { name: app, dir: app, needs: [net, cache], vars: { host: "${DB_HOST}" }, outputs: { APP_URL: url }, url: APP_URL }
            stages:
              - { name: migrate, run: ./migrate }
            release:
              - stage: staging
              - { stage: prod, approval: true }
            teardown:
              - { name: cleanup, run: ./cleanup }
            """;

    private static Plan plan() {
        DeployFile file = TestFiles.valid(FILE);
        return Planner.plan(file, new Planner.Request("feature/Login", Optional.of("a".repeat(40)), "folder"));
    }

    private static List<String> names(List<Plan.Step> group) {
        return group.stream().map(Plan.Step::name).toList();
    }

    @Test
    void theFirstReleaseStagePromotesTheReleaseBranchsEnvironmentAndAStageNamesItsRegistry() {
        DeployFile file = TestFiles.valid(FILE.replace("  - { stage: prod, approval: true }",
                "  - { stage: prod, approval: true, registry: prod.example.com/live }"));
        Plan.Phase release = Planner.plan(file, new Planner.Request("feature/x", Optional.empty(), "folder")).phases()
                .stream().filter(p -> p.name().equals("release")).findFirst().orElseThrow();
        assertThat(release.groups().get(0).get(0).settings()).containsEntry("promotes_from", "shop-main or shop-master")
                .doesNotContainKey("registry");
        assertThat(release.groups().get(1).get(0).settings()).containsEntry("promotes_from", "staging")
                .containsEntry("registry", "prod.example.com/live");
    }

    @Test
    void phasesInOrder() {
        assertThat(plan().phases()).extracting(Plan.Phase::name).containsExactlyElementsOf(Plan.PHASES);
    }

    @Test
    void environmentAndProject() {
        Plan plan = plan();
        assertThat(plan.project()).isEqualTo("shop");
        assertThat(plan.environment().name()).isEqualTo("shop-feature-login");
    }

    @Test
    void infrastructureGroupsFollowSharedFirstAndNeeds() {
        List<List<Plan.Step>> groups = plan().phases().get(3).groups();
        assertThat(groups).extracting(PlannerTest::names)
                .containsExactly(List.of("db"), List.of("net", "cache"), List.of("app"));
    }

    @Test
    void stacksWithoutNeedsFollowEveryEarlierStack() {
        DeployFile file = TestFiles.valid("version: 1\ninfrastructure:\n  - {name: a, dir: a}\n  - {name: b, dir: b}\n");
        Plan plan = Planner.plan(file, new Planner.Request("main", Optional.empty(), "x"));
        assertThat(plan.phases().get(3).groups()).extracting(PlannerTest::names)
                .containsExactly(List.of("a"), List.of("b"));
    }

    @Test
    void imagesBuildInParallelWithTheCommitTag() {
        List<List<Plan.Step>> groups = plan().phases().get(1).groups();
        assertThat(groups).hasSize(1);
        assertThat(names(groups.get(0))).containsExactly("web", "worker");
        assertThat(groups.get(0).get(0).settings()).containsEntry("repository", "127.0.0.1:5000/shop/web")
                .containsEntry("tags", List.of("a".repeat(40), "shop-feature-login"))
                .containsEntry("release_branch", false)
                .containsEntry("dockerfile", "web/Dockerfile");
    }

    @Test
    void theRepositoryIsTheImagesTemplateForTheBranchsEnvironment() {
        DeployFile file = TestFiles.valid("version: 1\nproject: shop\nregistry: 127.0.0.1:5000/acme\nimages:\n"
                + "  web: { repository: \"${PROJECT}/${BERTH_ENVIRONMENT}/${IMAGE}\" }\n");
        Plan plan = Planner.plan(file, new Planner.Request("feature/login", Optional.of("c1"), "folder"));
        assertThat(plan.phases().get(1).groups().get(0).get(0).settings())
                .containsEntry("repository", "127.0.0.1:5000/acme/shop/shop-feature-login/web");
    }

    @Test
    void onlyAReleaseBranchMovesLatestAndTheExtraTags() {
        Plan main = Planner.plan(TestFiles.valid(FILE), new Planner.Request("main", Optional.of("c1"), "folder"));
        assertThat(main.phases().get(1).groups().get(0).get(0).settings())
                .containsEntry("tags", List.of("c1", "shop-main", "latest", "stable"))
                .containsEntry("release_branch", true);
        // With release_branches, main is a branch like any other.
        DeployFile listed = TestFiles.valid(FILE + "release_branches: [release/v2]\n");
        assertThat(Planner.plan(listed, new Planner.Request("main", Optional.of("c1"), "folder")).phases().get(1)
                .groups().get(0).get(0).settings()).containsEntry("tags", List.of("c1", "shop-main"));
        assertThat(Planner.plan(listed, new Planner.Request("release/v2", Optional.of("c2"), "folder")).phases()
                .get(1).groups().get(0).get(0).settings())
                .containsEntry("tags", List.of("c2", "shop-release-v2", "latest", "stable"));
    }

    @Test
    void initStagesSeeNoOutputsAndSecretsOnlyByName() {
        Plan.Step test = plan().phases().get(0).groups().get(0).get(0);
        Map<String, Plan.PlannedVariable> seen = byName(test.variables());
        assertThat(seen).containsKeys("BERTH_PROJECT", "BERTH_COMMIT", "NODE_ENV", "WHERE", "DB_PASSWORD")
                .doesNotContainKeys("APP_URL", "API", "DB_HOST", "BERTH_IMAGE_WEB", "BERTH_ENV_URL", "BERTH_COLOR");
        assertThat(seen.get("WHERE").value()).contains("shop-feature-login");
        assertThat(seen.get("DB_PASSWORD").value()).isEmpty();
        assertThat(seen.get("DB_PASSWORD").from()).contains("credential shop-db-password");
    }

    @Test
    void postInfrastructureStagesSeeOutputsAndImages() {
        Plan.Step migrate = plan().phases().get(4).groups().get(0).get(0);
        Map<String, Plan.PlannedVariable> seen = byName(migrate.variables());
        assertThat(seen).containsKeys("APP_URL", "DB_HOST", "API", "BERTH_IMAGE_WEB", "BERTH_IMAGE_WORKER", "BERTH_ENV_URL");
        assertThat(seen.get("API").value()).contains("${APP_URL}/api");
        assertThat(seen.get("APP_URL").from()).contains("stack app, output url");
    }

    @Test
    void releaseStagesKnowTheirStageAndThePreviousOne() {
        List<List<Plan.Step>> release = plan().phases().get(5).groups();
        Map<String, Plan.PlannedVariable> prod = byName(release.get(1).get(0).variables());
        assertThat(prod.get("BERTH_STAGE").value()).contains("prod");
        assertThat(prod.get("BERTH_PREVIOUS_STAGE").value()).contains("staging");
        assertThat(byName(release.get(0).get(0).variables()).get("BERTH_PREVIOUS_STAGE").value()).contains("latest");
        assertThat(release.get(1).get(0).settings()).containsEntry("approval", true);
    }

    @Test
    void jsonHasTheEnvironmentNameAndNoSecretValues() throws Exception {
        JsonNode json = new ObjectMapper().readTree(PlanJson.write(plan()));
        assertThat(json.at("/environment/name").asText()).isEqualTo("shop-feature-login");
        assertThat(json.at("/phases/0/groups/0/0/variables").findValues("value")).isNotEmpty();
        for (JsonNode variable : json.at("/phases/0/groups/0/0/variables")) {
            if (variable.get("source").asText().equals("secret")) {
                assertThat(variable.has("value")).isFalse();
            }
        }
        assertThat(PlanJson.toPlainData(plan())).containsKey("phases");
    }

    private static Map<String, Plan.PlannedVariable> byName(List<Plan.PlannedVariable> variables) {
        Map<String, Plan.PlannedVariable> map = new java.util.LinkedHashMap<>();
        variables.forEach(v -> map.put(v.name(), v));
        return map;
    }

    @Test
    void aStageNamesAnAgentOnlyWhenItIsNotTheOneTheDeployRunsOnAndADeployStageNoImage() {
        io.jenkins.plugins.berth.model.DeployFile file = io.jenkins.plugins.berth.TestFiles.valid("""
                version: 1
                project: shop
                agent: linux
                image: node:20
                stages:
                  - { name: test, run: npm test }
                  - { name: same, run: npm test, agent: linux }
                  - { name: gpu, run: ./train.sh, agent: gpu }
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: script
                      colors: { blue: 8081, green: 8082 }
                      start: ./start.sh
                      switch: ./switch.sh
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health" }
                """);
        Plan plan = Planner.plan(file, new Planner.Request("main", java.util.Optional.empty(), "shop"));
        java.util.Map<String, java.util.Map<String, Object>> settings = new java.util.HashMap<>();
        plan.phases().stream().filter(p -> p.name().equals("stages")).flatMap(p -> p.groups().stream())
                .flatMap(java.util.List::stream).forEach(s -> settings.put(s.name(), s.settings()));
        assertThat(settings.get("test")).doesNotContainKey("agent").containsEntry("image", "node:20");
        assertThat(settings.get("same")).doesNotContainKey("agent");
        assertThat(settings.get("gpu")).containsEntry("agent", "gpu");
        assertThat(settings.get("publish")).doesNotContainKey("image").doesNotContainKey("agent");
    }
}
