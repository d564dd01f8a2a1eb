package io.jenkins.plugins.berth.jenkins.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS;
import groovy.lang.Closure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.jenkins.plugins.berth.pipeline.DeployDefaults;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code berth.deploy()}, {@code promote} and {@code teardown} walking a plan, with JenkinsPipelineUnit.
 * No Jenkins runs here: every Pipeline step is a recording mock (the real steps run in the -Pjenkins
 * JenkinsRule tests). Each mock appends what it was called with to {@link #events}, so the tests read
 * the order in which a real build would run things.
 */
class BerthDeployTest extends BasePipelineTestCPS {

    private static final String RUNNER_UP = "\"${BERTH_JAVA:-java}\" -jar \"$BERTH_RUNNER\" up \"$BERTH_FILE\""
            + " --branch \"$BERTH_RUN_BRANCH\" --commit \"$BERTH_RUN_COMMIT\" --state \"$BERTH_STATE\""
            + " --secrets-from-env --step \"$BERTH_STEP\" --default-ttl \"$BERTH_DEFAULT_TTL\""
            + " --default-project \"$BERTH_DEFAULT_PROJECT\"";

    /**
     * What the mocks were called with. Static so that the docker mock, which the CPS program holds and
     * serializes at every step, records into the same list after each round trip.
     */
    private static final List<String> EVENTS = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = EVENTS;
    /** The running test's helper, for the serializable docker mock to run bodies CPS-transformed. */
    private static com.lesfurets.jenkins.unit.PipelineTestHelper HELPER;
    private final List<String> environment = new ArrayList<>();
    private Map<String, Object> plan;
    /** What {@code berthDefaults} returns: core's own output, as the step hands it over. */
    private DeployDefaults defaults = DeployDefaults.NONE;
    /** {@code BERTH_STEP} values whose runner {@code sh} fails. */
    private final List<String> failing = new ArrayList<>();
    /** {@code BERTH_STEP} values whose runner {@code sh} a user aborts (Jenkins throws FlowInterruptedException). */
    private final List<String> aborted = new ArrayList<>();

    @BeforeEach
    void pipeline() throws Exception {
        EVENTS.clear();
        setScriptRoots(new String[] {"src/test/resources/io/jenkins/plugins/berth/jenkins/dsl/BerthVariableTest",
            "src/main/resources"});
        setScriptExtension("jenkinsfile");
        super.setUp();
        HELPER = getHelper();
        getBinding().setVariable("env", Map.of("BRANCH_NAME", "main", "GIT_COMMIT", "abc123"));
        getBinding().setVariable("scm", "the-scm");
        getBinding().setVariable("docker", new Docker());
        step("berthDefaults", Map.class, args -> {
            events.add("defaults " + args);
            return defaults.forPipeline();
        });
        step("berthPlan", Map.class, args -> {
            events.add("plan " + args);
            return plan;
        });
        block("berthEnvironment", args -> "environment " + args);
        block("withEnv", args -> {
            environment.addAll((List<String>) args);
            return "withEnv " + args;
        });
        block("withCredentials", args -> "withCredentials " + args);
        block("catchError", args -> "catchError " + args);
        block("node", args -> "node " + args);
        getHelper().registerAllowedMethod("stage", List.of(String.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(String name, Closure<?> body) {
                events.add("stage " + name);
                return getHelper().callClosure(body);
            }
        });
        getHelper().registerAllowedMethod("parallel", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<String, Closure<?>> branches) {
                events.add("parallel " + branches.keySet());
                branches.values().forEach(branch -> getHelper().callClosure(branch));
                return null;
            }
        });
        step("sh", String.class, command -> {
            String step = currentStep();
            events.add("sh " + (command.equals(RUNNER_UP) ? "runner " + step : command));
            if (command.equals(RUNNER_UP) && failing.contains(step)) {
                throw new IllegalStateException("script returned exit code 1");
            }
            if (command.equals(RUNNER_UP) && aborted.contains(step)) {
                // FlowInterruptedException is an InterruptedException; the default build lacks the class itself.
                throw sneaky(new InterruptedException("Aborted by someone"));
            }
            return null;
        });
        step("echo", String.class, text -> events.add("echo " + text));
        step("input", Map.class, args -> events.add("input " + args.get("message")));
        step("checkout", Object.class, args -> events.add("checkout " + args));
        step("string", Map.class, args -> "binding " + args.get("variable") + "<-" + args.get("credentialsId"));
        step("berthStageVariables", Map.class, args -> {
            events.add("variables " + args.get("phase") + ":" + args.get("stage"));
            return Map.of("environment", List.of("GREETING=hi", "WEIRD=$(rm -rf /)"),
                    "secrets", List.of(Map.of("variable", "DB_PASSWORD", "credentialsId", "shop-db")));
        });
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    /** A plan as berthPlan returns it: the real Planner's, of {@code yaml}. */
    private static Map<String, Object> realPlan(String yaml) throws Exception {
        io.jenkins.plugins.berth.model.DeployFile file = io.jenkins.plugins.berth.model.DeployFiles.parse("berth.yml",
                yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8), java.util.Optional.empty());
        Map<String, Object> plan = io.jenkins.plugins.berth.plan.PlanJson.toPlainData(io.jenkins.plugins.berth.plan
                .Planner.plan(file, new io.jenkins.plugins.berth.plan.Planner.Request("main",
                        java.util.Optional.of("abc123"), "shop")));
        plan.put("credentials", List.of());
        return plan;
    }

    /** The tests run the Groovy CPS-transformed and serialize the program at each step, as a restart would. */
    @Test
    void aLocalThatCannotBeSavedFailsAsItWouldAtARestart() {
        assertThatThrownBy(() -> runScript("nonserializable.jenkinsfile"))
                .hasStackTraceContaining("java.io.NotSerializableException: java.io.StringReader");
    }

    @Test
    void aBlueGreenStageRunsThroughTheRunnerEvenWithADefaultImage() throws Exception {
        plan = realPlan("""
                version: 1
                project: shop
                image: node:20
                stages:
                  - name: test
                    run: npm test
                  - name: publish
                    deploy:
                      strategy: blue-green
                      target: script
                      colors: { blue: 8081, green: 8082 }
                      start: ./start.sh
                      switch: ./switch.sh
                      health: { url: "http://127.0.0.1:${BERTH_PORT}/health" }
                """);
        runScript("deploy.jenkinsfile");
        assertThat(events).containsSubsequence("stage test", "inside node:20", "sh npm test",
                "stage publish", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:publish]", "sh runner stages:publish");
        assertThat(events).doesNotContain("sh null");
    }

    @Test
    void aUserAbortStopsTheDeployAndNoAlwaysStageRuns() {
        plan = shopPlan();
        aborted.add("infrastructure:network");
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).isInstanceOf(InterruptedException.class)
                .hasMessage("Aborted by someone");
        assertThat(events).contains("sh runner infrastructure:network");
        assertThat(events).doesNotContain("stage smoke", "sh runner stages:smoke",
                "echo berth: network failed; the rest is skipped but always stages");
    }

    /** The last BERTH_STEP set by withEnv. */
    private String currentStep() {
        for (int i = environment.size() - 1; i >= 0; i--) {
            if (environment.get(i).startsWith("BERTH_STEP=")) {
                return environment.get(i).substring("BERTH_STEP=".length());
            }
        }
        return "";
    }

    private <T> void step(String name, Class<T> argument, java.util.function.Function<T, Object> body) {
        getHelper().registerAllowedMethod(name, List.of(argument), new Closure<Object>(this) {
            @SuppressWarnings({"unused", "unchecked"})
            public Object doCall(Object value) {
                return body.apply((T) value);
            }
        });
    }

    /** A block step: records {@code describe(args)}, then runs the body. */
    private void block(String name, java.util.function.Function<Object, String> describe) {
        for (Class<?> type : List.of(Map.class, List.class, String.class)) {
            getHelper().registerAllowedMethod(name, List.of(type, Closure.class), new Closure<Object>(this) {
                @SuppressWarnings("unused")
                public Object doCall(Object args, Closure<?> body) {
                    events.add(describe.apply(args));
                    return getHelper().callClosure(body);
                }
            });
        }
    }

    /** The docker global variable: {@code docker.image(name).inside { }}, recorded. */
    public static final class Docker implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        public Image image(String name) {
            return new Image(name);
        }
    }

    public static final class Image implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String name;

        Image(String name) {
            this.name = name;
        }

        public Object inside(Closure<?> body) {
            EVENTS.add("inside " + name);
            return HELPER.callClosure(body);
        }
    }

    private static Map<String, Object> step(String name, String kind, Map<String, Object> settings) {
        return Map.of("name", name, "kind", kind, "settings", settings, "variables", List.of());
    }

    private static Map<String, Object> stage(String name, Object... settings) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("on_failure", "abort");
        values.put("always", false);
        for (int i = 0; i < settings.length; i += 2) {
            values.put((String) settings[i], settings[i + 1]);
        }
        return step(name, "stage", values);
    }

    private static Map<String, Object> phase(String name, List<?>... groups) {
        return Map.of("name", name, "groups", List.of(groups));
    }

    private static Map<String, Object> plan(List<Map<String, Object>> phases) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("file", "berth.yml");
        plan.put("project", "shop");
        plan.put("branch", "main");
        plan.put("commit", "abc123");
        plan.put("environment", Map.of("name", "shop-main"));
        plan.put("credentials", List.of(Map.of("credentialsId", "shop-db", "variable", "BERTH_SECRET_SHOP_DB")));
        plan.put("phases", phases);
        return plan;
    }

    private Map<String, Object> shopPlan() {
        return plan(List.of(
                phase("init_stages", List.of(stage("test", "run", "npm test", "image", "node:20"))),
                phase("images", List.of(step("web", "image", Map.of()))),
                phase("infrastructure", List.of(step("network", "stack", Map.of()), step("queue", "stack", Map.of())),
                        List.of(step("app", "stack", Map.of()))),
                phase("stages", List.of(stage("migrate", "run", "./migrate.sh")),
                        List.of(stage("lint", "script", ".berth/lint.sh", "image", "node:20", "on_failure", "continue",
                                "agent", "linux")),
                        List.of(stage("smoke", "run", "curl $BERTH_ENV_URL", "always", true))),
                phase("release", List.of(step("prod", "release", Map.of("approval", true)))),
                phase("teardown", List.of(stage("cleanup", "run", "./cleanup.sh")))));
    }

    @Test
    void deployWalksThePhasesInOrderWithParallelGroups() throws Exception {
        plan = shopPlan();
        runScript("deploy.jenkinsfile");
        assertThat(events).containsExactly(
                "plan {branch=main, commit=abc123}",
                "defaults {project=shop}",
                "environment {environment=shop-main, project=shop}",
                "withCredentials [binding BERTH_SECRET_SHOP_DB<-shop-db]",
                "withEnv [BERTH_RUN_BRANCH=main, BERTH_RUN_COMMIT=abc123, BERTH_DEFAULT_TTL=, BERTH_DEFAULT_PROJECT=shop]",
                "stage test", "variables init_stages:test", "inside node:20",
                "withCredentials [binding DB_PASSWORD<-shop-db]", "withEnv [GREETING=hi, WEIRD=$(rm -rf /)]",
                "sh npm test",
                "stage web", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=images:web]", "sh runner images:web",
                "parallel [network, queue]",
                "stage network", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=infrastructure:network]",
                "sh runner infrastructure:network",
                "stage queue", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=infrastructure:queue]",
                "sh runner infrastructure:queue",
                "stage app", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=infrastructure:app]",
                "sh runner infrastructure:app",
                "stage migrate", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:migrate]", "sh runner stages:migrate",
                "stage lint", "catchError {buildResult=UNSTABLE, stageResult=FAILURE}", "variables stages:lint",
                "node linux", "checkout the-scm", "inside node:20", "withCredentials [binding DB_PASSWORD<-shop-db]",
                "withEnv [GREETING=hi, WEIRD=$(rm -rf /)]", "withEnv [BERTH_SCRIPT=.berth/lint.sh]",
                "sh bash \"$BERTH_SCRIPT\"",
                "stage smoke", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:smoke]", "sh runner stages:smoke");
    }

    @Test
    void anAbortingFailureSkipsTheRestButAlwaysStagesThenFailsTheBuild() {
        plan = shopPlan();
        failing.add("infrastructure:queue");
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).hasMessageContaining("script returned exit code 1");
        assertThat(events).containsSubsequence("sh runner infrastructure:network", "sh runner infrastructure:queue",
                "echo berth: queue failed; the rest is skipped but always stages",
                "stage app", "echo berth: skipped, an earlier step failed",
                "stage migrate", "echo berth: skipped, an earlier step failed",
                "stage lint", "echo berth: skipped, an earlier step failed",
                "stage smoke", "sh runner stages:smoke");
        assertThat(events).doesNotContain("sh runner infrastructure:app", "sh runner stages:migrate");
    }

    @Test
    void aContinueStageFailsInsideCatchErrorAndTheDeployGoesOn() throws Exception {
        plan = plan(List.of(phase("stages", List.of(stage("flaky", "run", "x", "on_failure", "continue")),
                List.of(stage("next", "run", "y")))));
        failing.add("stages:flaky");
        // The mock catchError only records; a real one catches. Here the failure escapes it, so a
        // continue stage's failure is visible as thrown from inside catchError, never from try/catch.
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).hasMessageContaining("exit code 1");
        assertThat(events).containsSubsequence("stage flaky", "catchError {buildResult=UNSTABLE, stageResult=FAILURE}",
                "sh runner stages:flaky");
        assertThat(events).doesNotContain("echo berth: flaky failed; the rest is skipped but always stages");
    }

    @Test
    void valuesFromTheFileStayData() throws Exception {
        String evil = "'''; System.exit(0); '''";
        plan = plan(List.of(phase("stages", List.of(stage(evil, "run", "echo safe")),
                List.of(step("$(rm -rf /)", "stack", Map.of())))));
        runScript("deploy.jenkinsfile");
        assertThat(events).contains("stage " + evil, "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:" + evil + "]",
                "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:$(rm -rf /)]", "sh runner stages:$(rm -rf /)");
        // Every command Berth writes is one of its constants: nothing from the file is spliced in.
        assertThat(events.stream().filter(e -> e.startsWith("sh ")))
                .allMatch(e -> e.startsWith("sh runner ") || e.equals("sh echo safe"));
    }

    @Test
    void promoteAsksForApprovalWhenTheStageWantsIt() throws Exception {
        plan = shopPlan();
        runScript("promote.jenkinsfile");
        assertThat(events).containsSubsequence("input Promote shop to prod?", "environment {environment=shop-main, project=shop}",
                "withCredentials [binding BERTH_SECRET_SHOP_DB<-shop-db]", "stage promote to prod", "withEnv [BERTH_FILE=berth.yml, BERTH_RUN_STAGE=prod]",
                "sh \"${BERTH_JAVA:-java}\" -jar \"$BERTH_RUNNER\" promote \"$BERTH_FILE\" --to \"$BERTH_RUN_STAGE\""
                        + " --yes --state \"$BERTH_STATE\" --secrets-from-env --default-project \"$BERTH_DEFAULT_PROJECT\"");
    }

    @Test
    void promoteToAnUnknownStageSaysSo() {
        plan = plan(List.of());
        assertThatThrownBy(() -> runScript("promote.jenkinsfile"))
                .hasMessageContaining("berth: the deploy file has no release stage prod");
        assertThat(events).noneMatch(e -> e.startsWith("input") || e.startsWith("sh"));
    }

    @Test
    void teardownRunsTheRunnersDown() throws Exception {
        plan = shopPlan();
        runScript("teardown.jenkinsfile");
        assertThat(events).containsSubsequence("stage teardown shop-main", "withEnv [BERTH_RUN_ENV=shop-main]",
                "sh \"${BERTH_JAVA:-java}\" -jar \"$BERTH_RUNNER\" down --state \"$BERTH_STATE\" --env"
                        + " \"$BERTH_RUN_ENV\" --secrets-from-env");
    }

    @Test
    void redeployPassesTheFoldersDefaultTtlSoTheExpiryIsRenewedAsADeployWould() throws Exception {
        plan = shopPlan();
        defaults = DeployDefaults.of("", "", "", "", "3d", "");
        runScript("redeploy.jenkinsfile");
        assertThat(events).containsSubsequence("defaults {project=shop}",
                "withEnv [BERTH_RUN_BRANCH=main, BERTH_RUN_COMMIT=abc123, BERTH_DEFAULT_TTL=3d, BERTH_DEFAULT_PROJECT=shop]",
                "stage redeploy shop-main", "withEnv [BERTH_FILE=berth.yml, BERTH_RUN_ENV=shop-main]",
                "sh \"${BERTH_JAVA:-java}\" -jar \"$BERTH_RUNNER\" redeploy \"$BERTH_FILE\" --env \"$BERTH_RUN_ENV\""
                        + " --state \"$BERTH_STATE\" --secrets-from-env --default-ttl \"$BERTH_DEFAULT_TTL\""
                        + " --default-project \"$BERTH_DEFAULT_PROJECT\"");
    }
}
