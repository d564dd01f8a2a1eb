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

    private static final String RUNNER_UP = "sh \"$BERTH_RUNNER_SH\" up \"$BERTH_FILE\""
            + " --branch \"$BERTH_RUN_BRANCH\" --commit \"$BERTH_RUN_COMMIT\" --state \"$BERTH_STATE\""
            + " --secrets-from-env --step \"$BERTH_STEP\" --walk \"$BERTH_WALK\" --default-ttl \"$BERTH_DEFAULT_TTL\""
            + " --default-project \"$BERTH_DEFAULT_PROJECT\" --plan \"$BERTH_PLAN\" --plan-digest \"$BERTH_PLAN_DIGEST\"";
    /** The plan berthPlan wrote in the workspace and its digest, as the test plans name them. */
    private static final String PLAN_FILE = ".berth/plans/0123456789abcdef.json";
    private static final String PLAN_DIGEST = "sha256:" + "d".repeat(64);
    /** What every runner step is told of the plan. */
    private static final String PLANNED = "BERTH_PLAN=" + PLAN_FILE + ", BERTH_PLAN_DIGEST=" + PLAN_DIGEST;

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
    /** The kept files each berthEnvironment was given. */
    private final List<Object> kept = new ArrayList<>();
    /** Whether {@code berthDefaults} says the build is trusted with credentials. */
    private boolean trustedWithCredentials = true;

    /** What {@code berthDefaults} returns: core's own output, as the step hands it over. */
    private DeployDefaults defaults = DeployDefaults.NONE;
    /** {@code BERTH_STEP} values whose runner {@code sh} fails (exit code 1: the step stopped the deploy). */
    private final List<String> failing = new ArrayList<>();
    /** Exit codes the runner answers for steps: 3 skipped, 4 failed but continued (default 0). */
    private final Map<String, Integer> codes = new java.util.HashMap<>();
    /** Stages in an image that berthStageVariables says to skip (the runner's rule, read from the record). */
    private final List<String> skipping = new ArrayList<>();
    /** Shell commands of stages in an image that fail. */
    private final List<String> shFails = new ArrayList<>();
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
        getHelper().registerAllowedMethod("berthDefaults", List.of(), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall() {
                events.add("defaults");
                return handedOver(defaults);
            }
        });
        step("berthDefaults", Map.class, args -> {
            events.add("defaults " + args);
            return handedOver(defaults);
        });
        step("berthPlan", Map.class, args -> {
            events.add("plan " + args);
            return plan;
        });
        block("berthEnvironment", args -> {
            Map<Object, Object> shown = new LinkedHashMap<>((Map<?, ?>) args);
            kept.add(shown.remove("kept"));
            return "environment " + shown;
        });
        // A trusted branch: what berthAccess answers there.
        getHelper().registerAllowedMethod("berthAccess", List.of(), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall() {
                return Map.of("change", "branch main", "trusted", true, "credentials", true, "waitsForApproval", false,
                        "summary", "branch main is trusted: deployed with its credentials", "pullRequest", false);
            }
        });
        step("readTrusted", String.class, path -> "trusted " + path);
        block("withEnv", args -> {
            environment.addAll((List<String>) args);
            return "withEnv " + args;
        });
        block("withCredentials", args -> "withCredentials " + args);
        // As the real catchError: records, runs the body, and catches its failure.
        getHelper().registerAllowedMethod("catchError", List.of(Map.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> args, Closure<?> body) {
                events.add("catchError " + args);
                try {
                    return getHelper().callClosure(body);
                } catch (RuntimeException e) {
                    events.add("caught " + e.getMessage());
                    return null;
                }
            }
        });
        step("error", String.class, message -> {
            throw new IllegalStateException(message);
        });
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
            events.add("sh " + command);
            if (shFails.contains(command)) {
                throw new IllegalStateException("script returned exit code 2");
            }
            return null;
        });
        // The runner's steps: sh(script:, returnStatus: true), answered with the step's exit code.
        step("sh", Map.class, args -> {
            String command = (String) args.get("script");
            String step = currentStep();
            boolean up = command.startsWith(RUNNER_UP);
            String report = up ? command.substring(RUNNER_UP.length()) : "";
            events.add("sh " + (up ? "runner " + step + report : command));
            assertThat(args.get("returnStatus")).isEqualTo(true);
            if (up && aborted.contains(step)) {
                // FlowInterruptedException is an InterruptedException; the default build lacks the class itself.
                throw sneaky(new InterruptedException("Aborted by someone"));
            }
            return up && failing.contains(step) ? 1 : codes.getOrDefault(step, 0);
        });
        step("echo", String.class, text -> events.add("echo " + text));
        step("archiveArtifacts", Map.class, args -> events.add("archive " + args.get("artifacts") + " excluding "
                + args.get("excludes")));
        step("stash", Map.class, args -> events.add("stash " + args.get("name") + " " + args.get("includes")));
        step("unstash", String.class, name -> events.add("unstash " + name));
        getHelper().registerAllowedMethod("pwd", List.of(), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall() {
                return "/agent/ws";
            }
        });
        step("input", Map.class, args -> events.add("input " + args.get("message")));
        step("checkout", Object.class, args -> events.add("checkout " + args));
        step("string", Map.class, args -> "binding " + args.get("variable") + "<-" + args.get("credentialsId"));
        step("usernamePassword", Map.class, args -> "binding " + args.get("usernameVariable") + "/"
                + args.get("passwordVariable") + "<-" + args.get("credentialsId"));
        step("berthStageVariables", Map.class, args -> {
            events.add("variables " + args.get("phase") + ":" + args.get("stage"));
            // The stage's variables come from the walk's plan, under the digest the program keeps.
            assertThat(args.get("plan")).isEqualTo(plan.get("planFile"));
            assertThat(args.get("planDigest")).isEqualTo(plan.get("planDigest"));
            return Map.of("environment", List.of("GREETING=hi", "WEIRD=$(rm -rf /)"),
                    "secrets", List.of(Map.of("variable", "DB_PASSWORD", "credentialsId", "shop-db")),
                    "skip", skipping.contains(args.get("stage")));
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
        plan.put("walk", "walk-1");
        plan.put("planFile", PLAN_FILE);
        plan.put("planDigest", PLAN_DIGEST);
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
                "stage publish", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:publish, BERTH_WALK=walk-1, " + PLANNED + "]", "sh runner stages:publish");
        assertThat(events).doesNotContain("sh null");
    }

    @Test
    void aUserAbortStopsTheDeployAndNoAlwaysStageRuns() throws Exception {
        plan = shopPlan();
        aborted.add("infrastructure:network");
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).isInstanceOf(InterruptedException.class)
                .hasMessage("Aborted by someone");
        assertThat(events).contains("sh runner infrastructure:network");
        assertThat(events).doesNotContain("stage smoke", "sh runner stages:smoke",
                "echo berth: network failed; the rest is skipped but always stages");
    }

    /**
     * Builds are steps of the builds phase, all in parallel: one without an agent of its own through the runner
     * here (its files archived), each source of one with an agent in node(agent), reported back to the runner here.
     */
    @Test
    void buildsRunInParallelAndOnTheirOwnAgentAreReportedBack() throws Exception {
        plan = realPlan("""
                version: 1
                project: shop
                agent: linux
                builds:
                  - { name: here, dir: packer/here, agent: linux }
                  - name: app
                    dir: packer/app
                    only: [file.a, null.b]
                    agent: packer
                stages:
                  - { name: show, run: echo }
                """);
        runScript("deploy.jenkinsfile");
        String excludes = " excluding **/*.pkr.hcl,**/*.pkr.json,**/berth.auto.pkrvars.json,**/cache/**,**/plugins/**,"
                + "**/config/**";
        String report = ".berth/build-state/reports/berth-build-app_file.a.json";
        assertThat(events).containsSubsequence(
                "parallel [here, app/file.a, app/null.b]",
                // The file's own agent is the deploy's node: no node of its own.
                "stage here", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=builds:here, BERTH_WALK=walk-1, " + PLANNED + "]",
                "sh runner builds:here", "archive .berth/state/builds/**" + excludes,
                "stage app/file.a", "stash berth-build-app_file.a-runner .berth/runner/berth-runner-*.jar,.berth/runner/berth-runner.sh,"
                        + PLAN_FILE,
                "node packer", "checkout the-scm", "unstash berth-build-app_file.a-runner",
                "withEnv [TF_HTTP_PASSWORD=, BERTH_STATE_URL=, BERTH_RUNNER=/agent/ws/.berth/runner,"
                        + " BERTH_RUNNER_SH=/agent/ws/.berth/runner/berth-runner.sh, BERTH_STATE=/agent/ws/.berth/build-state, BERTH_FILE=berth.yml, BERTH_STEP=builds:app/file.a,"
                        + " BERTH_WALK=walk-1, " + PLANNED + ", BERTH_AGENT_RECORD=.berth/build-state/shop-main.json,"
                        + " BERTH_BUILD_RECORD=" + report + "]",
                "sh rm -f -- \"$BERTH_BUILD_RECORD\"", "sh runner builds:app/file.a",
                "sh mkdir -p -- \"${BERTH_BUILD_RECORD%/*}\" && if [ -f \"$BERTH_AGENT_RECORD\" ]; then cp --"
                        + " \"$BERTH_AGENT_RECORD\" \"$BERTH_BUILD_RECORD\"; fi",
                "archive .berth/build-state/builds/**," + report + excludes,
                "stash berth-build-app_file.a-record " + report,
                "unstash berth-build-app_file.a-record",
                "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=builds:app/file.a, BERTH_WALK=walk-1, " + PLANNED + ", BERTH_BUILD_RECORD="
                        + report + "]",
                "sh runner builds:app/file.a --report-build \"$BERTH_BUILD_RECORD\"",
                "stage app/null.b", "node packer",
                "sh runner builds:app/null.b --report-build \"$BERTH_BUILD_RECORD\"",
                "stage show", "sh runner stages:show");
    }

    /** A build that failed (on its agent too: the runner here says so) fails the deploy: later steps are skipped. */
    @Test
    void aFailedBuildStopsTheDeploy() throws Exception {
        plan = realPlan("""
                version: 1
                project: shop
                builds:
                  - { name: app, dir: packer/app, agent: packer }
                stages:
                  - { name: show, run: echo }
                """);
        failing.add("builds:app");
        codes.put("stages:show", 3);
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).hasMessageContaining("the deploy failed at app");
        assertThat(events).containsSubsequence("stage app", "node packer",
                "sh runner builds:app --report-build \"$BERTH_BUILD_RECORD\"",
                "catchError {buildResult=FAILURE, stageResult=FAILURE}", "stage show", "sh runner stages:show",
                "echo berth: skipped, an earlier step failed");
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

    /** The docker global variable: {@code docker.image(name).inside { }}, recorded; and a withRegistry, noted. */
    public static final class Docker implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        public Object withRegistry(String url, String credentialsId, Closure<?> body) {
            EVENTS.add("docker.withRegistry " + url);
            return HELPER.callClosure(body);
        }

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
        plan.put("walk", "walk-1");
        plan.put("planFile", PLAN_FILE);
        plan.put("planDigest", PLAN_DIGEST);
        plan.put("phases", phases);
        return plan;
    }

    /** The shop's plan as berthPlan makes it: the real Planner's, so the Java and Groovy sides cannot drift. */
    private static Map<String, Object> shopPlan() throws Exception {
        Map<String, Object> plan = realPlan("""
                version: 1
                project: shop
                registry: 127.0.0.1:5000/shop
                images:
                  web: {}
                init_stages:
                  - { name: test, run: npm test, image: "node:20" }
                infrastructure:
                  - { name: network, dir: infra/network, outputs: { NET_ID: id }, needs: [] }
                  - { name: queue, dir: infra/queue, outputs: { QUEUE_URL: url }, needs: [] }
                  - { name: app, dir: infra/app, vars: { net: "${NET_ID}", queue: "${QUEUE_URL}" } }
                stages:
                  - { name: migrate, run: ./migrate.sh }
                  - { name: lint, script: .berth/lint.sh, image: "node:20", on_failure: continue, agent: linux }
                  - { name: smoke, run: curl "$BERTH_ENV_URL", always: true }
                release:
                  - { stage: prod, approval: true }
                teardown:
                  - { name: cleanup, run: ./cleanup.sh }
                """);
        // What berthPlan adds beside the Planner's plan: the file's credentials as bindings, the teardown's files.
        plan.put("credentials", List.of(Map.of("credentialsId", "shop-db", "variable", "BERTH_SECRET_SHOP_DB")));
        plan.put("kept", List.of(Map.of("path", "berth.yml", "repositoryPath", "berth.yml")));
        return plan;
    }

    @Test
    void deployWalksThePhasesInOrderWithParallelGroups() throws Exception {
        plan = shopPlan();
        runScript("deploy.jenkinsfile");
        // A stage in its image runs without the state server's token and address (an empty value removes them).
        assertThat(environment).containsSubsequence("TF_HTTP_PASSWORD=", "BERTH_STATE_URL=", "GREETING=hi");
        // The teardown's files, from the trusted revision, for the controller to keep.
        assertThat(kept).containsExactly(Map.of("berth.yml", "trusted berth.yml"));
        assertThat(events).containsExactly(
                "plan {branch=main, commit=abc123}",
                "echo berth: branch main is trusted: deployed with its credentials",
                "defaults {project=shop}",
                "environment {environment=shop-main, project=shop}",
                "withCredentials [binding BERTH_SECRET_SHOP_DB<-shop-db]",
                "withEnv [BERTH_RUN_BRANCH=main, BERTH_RUN_COMMIT=abc123, BERTH_DEFAULT_TTL=, BERTH_DEFAULT_PROJECT=shop]",
                "stage test", "variables init_stages:test", "inside node:20",
                "withCredentials [binding DB_PASSWORD<-shop-db]", "withEnv [TF_HTTP_PASSWORD=, BERTH_STATE_URL=, GREETING=hi, WEIRD=$(rm -rf /)]",
                "sh npm test",
                // The stage ran in its image here; the runner records its outcome and judges it.
                "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=init_stages:test, BERTH_WALK=walk-1, " + PLANNED + "]",
                "sh runner init_stages:test --report succeeded",
                "stage web", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=images:web, BERTH_WALK=walk-1, " + PLANNED + "]", "sh runner images:web",
                "parallel [network, queue]",
                "stage network", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=infrastructure:network, BERTH_WALK=walk-1, " + PLANNED + "]",
                "sh runner infrastructure:network",
                "stage queue", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=infrastructure:queue, BERTH_WALK=walk-1, " + PLANNED + "]",
                "sh runner infrastructure:queue",
                "stage app", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=infrastructure:app, BERTH_WALK=walk-1, " + PLANNED + "]",
                "sh runner infrastructure:app",
                "stage migrate", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:migrate, BERTH_WALK=walk-1, " + PLANNED + "]", "sh runner stages:migrate",
                "stage lint", "variables stages:lint",
                "node linux", "checkout the-scm", "inside node:20", "withCredentials [binding DB_PASSWORD<-shop-db]",
                "withEnv [TF_HTTP_PASSWORD=, BERTH_STATE_URL=, GREETING=hi, WEIRD=$(rm -rf /)]", "withEnv [BERTH_SCRIPT=.berth/lint.sh]",
                "sh bash \"$BERTH_SCRIPT\"",
                "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:lint, BERTH_WALK=walk-1, " + PLANNED + "]",
                "sh runner stages:lint --report succeeded",
                "stage smoke", "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:smoke, BERTH_WALK=walk-1, " + PLANNED + "]", "sh runner stages:smoke");
    }

    /**
     * Every runner step of the walk is told the plan berthPlan wrote and its digest, from the plan the program holds
     * (the controller's), never from the workspace; the command line reads both as quoted variables.
     */
    @Test
    void everyRunnerStepRunsThePlanUnderTheDigestTheProgramKeeps() throws Exception {
        plan = shopPlan();
        plan.put("planDigest", "sha256:" + "e".repeat(64));
        runScript("deploy.jenkinsfile");
        long steps = events.stream().filter(e -> e.startsWith("sh runner ")).count();
        assertThat(steps).isEqualTo(8);
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).startsWith("sh runner ")) {
                assertThat(events.get(i - 1)).as(events.get(i)).endsWith("BERTH_PLAN=" + PLAN_FILE
                        + ", BERTH_PLAN_DIGEST=sha256:" + "e".repeat(64) + "]");
            }
        }
    }

    /** The runner decides what runs after a failure; the variable maps its exit codes to stage results. */
    @Test
    void anAbortingFailureSkipsTheRestButAlwaysStagesThenFailsTheBuild() throws Exception {
        plan = shopPlan();
        failing.add("infrastructure:queue");
        codes.put("infrastructure:app", 3);
        codes.put("stages:migrate", 3);
        skipping.add("lint");
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile"))
                .hasMessageContaining("berth: the deploy failed at queue");
        assertThat(events).containsSubsequence("sh runner infrastructure:network", "sh runner infrastructure:queue",
                "catchError {buildResult=FAILURE, stageResult=FAILURE}",
                "caught berth: queue failed; the rest is skipped but always stages",
                "stage app", "sh runner infrastructure:app", "echo berth: skipped, an earlier step failed",
                "stage migrate", "sh runner stages:migrate", "echo berth: skipped, an earlier step failed",
                "stage lint", "variables stages:lint", "echo berth: skipped, an earlier step failed",
                "stage smoke", "sh runner stages:smoke");
        // A skipped stage in an image does not start its container.
        assertThat(events.subList(events.indexOf("stage lint"), events.indexOf("stage smoke")))
                .doesNotContain("inside node:20");
    }

    @Test
    void aContinueStageFailsInsideCatchErrorAndTheDeployGoesOn() throws Exception {
        plan = plan(List.of(phase("stages", List.of(stage("flaky", "run", "x", "on_failure", "continue")),
                List.of(stage("next", "run", "y")))));
        codes.put("stages:flaky", 4);
        runScript("deploy.jenkinsfile");
        assertThat(events).containsSubsequence("stage flaky", "sh runner stages:flaky",
                "catchError {buildResult=UNSTABLE, stageResult=FAILURE}",
                "caught berth: flaky failed; on_failure: continue, so the deploy goes on",
                "stage next", "sh runner stages:next");
    }

    @Test
    void aFailedStageInAnImageIsReportedToTheRunnerWhichJudgesIt() throws Exception {
        plan = plan(List.of(phase("stages", List.of(stage("lint", "run", "npm run lint", "image", "node:20")))));
        shFails.add("npm run lint");
        codes.put("stages:lint", 1);
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).hasMessageContaining("the deploy failed at lint");
        assertThat(events).containsSubsequence("inside node:20", "sh npm run lint",
                "echo berth: lint: script returned exit code 2",
                "sh runner stages:lint --report failed", "caught berth: lint failed; the rest is skipped but always stages");
    }

    @Test
    void aStageInAnImageRunsUnderItsTimeoutAndATimeoutIsReportedAsItsFailure() throws Exception {
        plan = realPlan("""
                version: 1
                stages:
                  - { name: lint, run: npm run lint, image: "node:20", timeout: 10m }
                  - { name: cleanup, run: echo bye, image: "node:20", always: true }
                """);
        getHelper().registerAllowedMethod("timeout", List.of(Map.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> args, Closure<?> body) {
                events.add("timeout " + args);
                throw sneaky(new TimedOut());
            }
        });
        codes.put("stages:lint", 1);
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).hasMessageContaining("the deploy failed at lint");
        assertThat(events).containsSubsequence("stage lint", "timeout {time=600, unit=SECONDS}",
                "echo berth: lint: timed out after its timeout of 600s, so it was stopped",
                "sh runner stages:lint --report failed", "stage cleanup", "inside node:20", "sh echo bye");
    }

    private static final String GATED_DEPLOY = """
            version: 1
            project: shop
            stages:
              - name: publish
                deploy:
                  strategy: blue-green
                  target: script
                  colors: { blue: 8081, green: 8082 }
                  start: ./start.sh
                  switch: ./switch.sh
                  approval: %s
                  health: { url: "http://127.0.0.1:${BERTH_PORT}/health" }
            """;

    @Test
    void aGatedBlueGreenStageStopsAtItsGateAsksWithInputAndGoesOnWithTheDecision() throws Exception {
        plan = realPlan(GATED_DEPLOY.formatted("true"));
        runScript("deploy.jenkinsfile");
        assertThat(events).containsSubsequence("stage publish", "sh runner stages:publish --approval wait",
                "input Switch shop-main to the new version of publish?", "sh runner stages:publish --approval approve");
        assertThat(events).noneMatch(e -> e.startsWith("timeout"));
    }

    @Test
    void aGateWithoutAnAnswerInItsTimeoutTakesItsDefaultAndAnAbortRejects() throws Exception {
        plan = realPlan(GATED_DEPLOY.formatted("{ timeout: 30m, default: approve }"));
        getHelper().registerAllowedMethod("timeout", List.of(Map.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> args, Closure<?> body) {
                events.add("timeout " + args);
                throw sneaky(new TimedOut());
            }
        });
        runScript("deploy.jenkinsfile");
        assertThat(events).containsSubsequence("sh runner stages:publish --approval wait", "timeout {time=1800, unit=SECONDS}",
                "echo berth: publish: no answer within 1800s, so the default: approve",
                "sh runner stages:publish --approval approve");

        EVENTS.clear();
        plan = realPlan(GATED_DEPLOY.formatted("true"));
        step("input", Map.class, args -> {
            throw sneaky(new InterruptedException("Rejected by someone"));
        });
        codes.put("stages:publish", 0);
        runScript("deploy.jenkinsfile");
        assertThat(events).containsSubsequence("sh runner stages:publish --approval wait",
                "echo berth: publish: rejected at the approval gate", "sh runner stages:publish --approval reject");
    }

    /** What the timeout step throws when it stops its body: a FlowInterruptedException, whose cause says so. */
    public static final class TimedOut extends InterruptedException {
        private static final long serialVersionUID = 1L;

        public List<Object> getCauses() {
            return List.of(new ExceededTimeout());
        }

        /** Named as TimeoutStepExecution's cause. */
        public static final class ExceededTimeout implements java.io.Serializable {
            private static final long serialVersionUID = 1L;
        }
    }

    @Test
    void valuesFromTheFileStayData() throws Exception {
        String evil = "'''; System.exit(0); '''";
        plan = plan(List.of(phase("stages", List.of(stage(evil, "run", "echo safe")),
                List.of(step("$(rm -rf /)", "stack", Map.of())))));
        runScript("deploy.jenkinsfile");
        assertThat(events).contains("stage " + evil, "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:" + evil + ", BERTH_WALK=walk-1, " + PLANNED + "]",
                "withEnv [BERTH_FILE=berth.yml, BERTH_STEP=stages:$(rm -rf /), BERTH_WALK=walk-1, " + PLANNED + "]", "sh runner stages:$(rm -rf /)");
        // Every command Berth writes is one of its constants: nothing from the file is spliced in.
        assertThat(events.stream().filter(e -> e.startsWith("sh ")))
                .allMatch(e -> e.startsWith("sh runner ") || e.equals("sh echo safe"));
    }

    @Test
    void promoteAsksForApprovalWhenTheStageWantsIt() throws Exception {
        plan = shopPlan();
        runScript("promote.jenkinsfile");
        // Called outside any node: the approval waits between two nodes, holding no executor.
        assertThat(events).containsSubsequence("node ", "checkout the-scm", "plan {branch=main, commit=abc123}",
                "input Promote shop to prod?", "node ", "checkout the-scm", "environment {environment=shop-main, project=shop}");
        int input = events.indexOf("input Promote shop to prod?");
        assertThat(events.subList(input, events.size())).startsWith("input Promote shop to prod?", "node ");
        assertThat(events).containsSubsequence("input Promote shop to prod?", "environment {environment=shop-main, project=shop}",
                "withCredentials [binding BERTH_SECRET_SHOP_DB<-shop-db]", "stage promote to prod", "withEnv [BERTH_FILE=berth.yml, BERTH_RUN_STAGE=prod]",
                "sh sh \"$BERTH_RUNNER_SH\" promote \"$BERTH_FILE\" --to \"$BERTH_RUN_STAGE\""
                        + " --yes --state \"$BERTH_STATE\" --secrets-from-env --default-project \"$BERTH_DEFAULT_PROJECT\"");
    }

    /** A plan whose release stage prod keeps its images in another registry, promoted from main's build here. */
    private void promotingToAStageWithItsOwnRegistry(String registryCredentialsId) throws Exception {
        plan = realPlan("""
                version: 1
                project: shop
                registry: registry.example.com/shop
                images:
                  web: {}
                release:
                  - { stage: prod, registry: "prod.example.com:5443/live" }
                """);
        plan.put("kept", List.of(Map.of("path", "berth.yml", "repositoryPath", "berth.yml")));
        defaults = DeployDefaults.of("", "registry.example.com", registryCredentialsId, "", "", "");
        getBinding().setVariable("env", Map.of("BRANCH_NAME", "main", "GIT_COMMIT", "abc123", "NODE_NAME", "built-in"));
    }

    @Test
    void aBuildNotTrustedWithCredentialsGetsNoReleaseRegistryLogin() throws Exception {
        // The stage's registry comes from the workspace's file, which an untrusted change may point elsewhere.
        promotingToAStageWithItsOwnRegistry("");
        trustedWithCredentials = false;
        assertThatThrownBy(() -> runScript("promote-release-registry.jenkinsfile")).hasMessageContaining(
                "berth: this build is not trusted with credentials, so it gets no login for the registry of release"
                        + " stage prod");
        assertThat(events).noneMatch(e -> e.contains("BERTH_RELEASE_REGISTRY") || e.startsWith("sh "));
    }

    /**
     * The folder's registry login and a release stage's own registry login reach the runner as variables bound with
     * usernamePassword, the hosts as plain variables (the stage's registry as the plan names it); no docker login.
     */
    @Test
    void promoteToAStageWithItsOwnRegistryBindsBothRegistryLoginsForTheRunner() throws Exception {
        promotingToAStageWithItsOwnRegistry("ci-registry");
        runScript("promote-release-registry.jenkinsfile");
        assertThat(events).containsSubsequence("stage promote to prod",
                "withCredentials [binding BERTH_REGISTRY_USERNAME/BERTH_REGISTRY_PASSWORD<-ci-registry,"
                        + " binding BERTH_RELEASE_REGISTRY_USERNAME/BERTH_RELEASE_REGISTRY_PASSWORD<-prod-registry]",
                "withEnv [BERTH_REGISTRY_HOST=registry.example.com,"
                        + " BERTH_RELEASE_REGISTRY_HOST=prod.example.com:5443/live]",
                "withEnv [BERTH_FILE=berth.yml, BERTH_RUN_STAGE=prod]",
                "sh sh \"$BERTH_RUNNER_SH\" promote \"$BERTH_FILE\" --to \"$BERTH_RUN_STAGE\""
                        + " --yes --state \"$BERTH_STATE\" --secrets-from-env --default-project \"$BERTH_DEFAULT_PROJECT\"");
        assertThat(events).noneMatch(e -> e.startsWith("docker.withRegistry"));
    }

    /** Without a registryCredentialsId a promotion binds the folder's login only. */
    @Test
    void promoteWithoutReleaseCredentialsBindsTheFoldersLoginAlone() throws Exception {
        plan = shopPlan();
        defaults = DeployDefaults.of("", "registry.example.com", "ci-registry", "", "", "");
        getBinding().setVariable("env", Map.of("BRANCH_NAME", "main", "GIT_COMMIT", "abc123", "NODE_NAME", "built-in"));
        runScript("promote.jenkinsfile");
        assertThat(events).containsSubsequence("stage promote to prod",
                "withCredentials [binding BERTH_REGISTRY_USERNAME/BERTH_REGISTRY_PASSWORD<-ci-registry]",
                "withEnv [BERTH_REGISTRY_HOST=registry.example.com]", "withEnv [BERTH_FILE=berth.yml, BERTH_RUN_STAGE=prod]");
        assertThat(events).noneMatch(e -> e.contains("BERTH_RELEASE_REGISTRY") || e.startsWith("docker.withRegistry"));
    }

    @Test
    void promoteInsideTheCallersNodeUsesItsWorkspace() throws Exception {
        plan = shopPlan();
        getBinding().setVariable("env", Map.of("BRANCH_NAME", "main", "GIT_COMMIT", "abc123", "NODE_NAME", "built-in"));
        runScript("promote.jenkinsfile");
        assertThat(events).containsSubsequence("plan {branch=main, commit=abc123}", "input Promote shop to prod?",
                "environment {environment=shop-main, project=shop}");
        assertThat(events).noneMatch(e -> e.startsWith("node "));
    }

    @Test
    void promoteFromANamedEnvironmentBringsThatEnvironmentsRecord() throws Exception {
        plan = shopPlan();
        getBinding().setVariable("env", Map.of("BRANCH_NAME", "feature/x", "GIT_COMMIT", "abc123", "NODE_NAME", "built-in"));
        runScript("promote-from.jenkinsfile");
        // The environment block is the source's, so the controller copies its record into the workspace; the name
        // reaches the runner as a variable, never in the command.
        assertThat(events).containsSubsequence("input Promote shop to prod?",
                "environment {environment=shop-release, project=shop}", "stage promote to prod",
                "withEnv [BERTH_FILE=berth.yml, BERTH_RUN_STAGE=prod, BERTH_RUN_FROM=shop-release]",
                "sh sh \"$BERTH_RUNNER_SH\" promote \"$BERTH_FILE\" --to \"$BERTH_RUN_STAGE\" --yes --state"
                        + " \"$BERTH_STATE\" --secrets-from-env --default-project \"$BERTH_DEFAULT_PROJECT\""
                        + " --from \"$BERTH_RUN_FROM\"");
        assertThat(events).noneMatch(e -> e.startsWith("plan ") && e.contains("from"));
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
        assertThat(events).containsSubsequence("stage teardown shop-main",
                "withEnv [BERTH_RUN_ENV=shop-main, BERTH_RUN_REASON=]",
                "sh sh \"$BERTH_RUNNER_SH\" down --state \"$BERTH_STATE\" --env"
                        + " \"$BERTH_RUN_ENV\" --secrets-from-env");
    }

    @Test
    void teardownSkippingTheStagesPassesTheReasonAsDataNeverInTheCommand() throws Exception {
        plan = shopPlan();
        runScript("teardown-skipping.jenkinsfile");
        assertThat(events).containsSubsequence("stage teardown shop-main",
                "withEnv [BERTH_RUN_ENV=shop-main, BERTH_RUN_REASON=cleanup API retired; \"$(rm -rf /)\"]",
                "sh sh \"$BERTH_RUNNER_SH\" down --state \"$BERTH_STATE\" --env"
                        + " \"$BERTH_RUN_ENV\" --secrets-from-env --skip-stages --reason \"$BERTH_RUN_REASON\"");
    }

    @Test
    void redeployPassesTheFoldersDefaultTtlSoTheExpiryIsRenewedAsADeployWould() throws Exception {
        plan = shopPlan();
        defaults = DeployDefaults.of("", "", "", "", "3d", "");
        runScript("redeploy.jenkinsfile");
        assertThat(events).containsSubsequence("defaults {project=shop}",
                "withEnv [BERTH_RUN_BRANCH=main, BERTH_RUN_COMMIT=abc123, BERTH_DEFAULT_TTL=3d, BERTH_DEFAULT_PROJECT=shop]",
                "stage redeploy shop-main", "withEnv [BERTH_FILE=berth.yml, BERTH_RUN_ENV=shop-main]",
                "sh sh \"$BERTH_RUNNER_SH\" redeploy \"$BERTH_FILE\" --env \"$BERTH_RUN_ENV\""
                        + " --state \"$BERTH_STATE\" --secrets-from-env --default-ttl \"$BERTH_DEFAULT_TTL\""
                        + " --default-project \"$BERTH_DEFAULT_PROJECT\"");
    }

    /** What the step hands over: core's output, and whether the build is trusted with credentials (here it is). */
    private Map<String, Object> handedOver(DeployDefaults defaults) {
        Map<String, Object> values = new java.util.LinkedHashMap<>(defaults.forPipeline());
        values.put("credentials", trustedWithCredentials);
        return values;
    }
}
