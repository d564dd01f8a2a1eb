package io.jenkins.plugins.berth.jenkins.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS;
import groovy.lang.Closure;
import io.jenkins.plugins.berth.model.BuildArgValues;
import io.jenkins.plugins.berth.model.DeployFiles;
import io.jenkins.plugins.berth.model.MissingBuildArgsException;
import io.jenkins.plugins.berth.model.RepositoryFiles;
import io.jenkins.plugins.berth.pipeline.BuildArgNotes;
import io.jenkins.plugins.berth.pipeline.DeployDefaults;
import io.jenkins.plugins.berth.plan.PlanJson;
import io.jenkins.plugins.berth.plan.Planner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first build of an environment whose Dockerfile needs build arguments the deploy file does not give:
 * {@code berth.deploy()} asks for them with {@code input} (one string parameter each) instead of failing, and
 * the runner gets the answer as {@code BERTH_BUILD_ARGS}. JenkinsPipelineUnit: the Pipeline steps are recording
 * mocks (no Jenkins runs here; the -Pjenkins tests run the real ones), but the plan is core's own, of a real
 * Dockerfile in a real folder ({@link MissingBuildArgsException}, {@link BuildArgNotes#forPlan}), and
 * {@code berthBuildArgs} is core's {@link BuildArgNotes} on a real folder, as the step calls it.
 */
class BerthBuildArgsTest extends BasePipelineTestCPS {

    private static final List<String> EVENTS = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = EVENTS;
    private final List<String> environment = new ArrayList<>();
    private Map<String, Object> plan;
    private Object answer;
    private boolean abortInput;
    private BuildArgNotes notes;
    /** What the notes said while the input was open: the page's "needs build arguments". */
    private final List<Object> waitingDuringInput = new ArrayList<>();

    @TempDir
    Path repo;
    @TempDir
    Path controller;

    @BeforeEach
    void pipeline() throws Exception {
        EVENTS.clear();
        notes = new BuildArgNotes(controller.resolve("projects/shop/build-args"));
        setScriptRoots(new String[] {"src/test/resources/io/jenkins/plugins/berth/jenkins/dsl/BerthVariableTest",
            "src/main/resources"});
        setScriptExtension("jenkinsfile");
        super.setUp();
        getBinding().setVariable("env", Map.of("BRANCH_NAME", "main", "GIT_COMMIT", "abc123"));
        getBinding().setVariable("scm", "the-scm");
        step("berthDefaults", Map.class, args -> DeployDefaults.NONE.forPipeline());
        getHelper().registerAllowedMethod("berthDefaults", List.of(), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall() {
                return DeployDefaults.NONE.forPipeline();
            }
        });
        step("berthPlan", Map.class, args -> plan);
        getHelper().registerAllowedMethod("berthAccess", List.of(), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall() {
                return Map.of("change", "branch main", "trusted", true, "credentials", true, "waitsForApproval", false,
                        "summary", "branch main is trusted", "pullRequest", false);
            }
        });
        block("berthEnvironment", args -> "environment");
        block("withCredentials", args -> "withCredentials");
        block("withEnv", args -> {
            environment.addAll((List<String>) args);
            return "withEnv " + args;
        });
        block("node", args -> "node");
        getHelper().registerAllowedMethod("stage", List.of(String.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(String name, Closure<?> body) {
                events.add("stage " + name);
                return getHelper().callClosure(body);
            }
        });
        step("echo", String.class, text -> events.add("echo " + text));
        step("error", String.class, message -> {
            throw new IllegalStateException(message);
        });
        // The runner: records the build arguments its environment carries.
        step("sh", Map.class, args -> {
            events.add("runner " + environment.stream().filter(e -> e.startsWith("BERTH_STEP=")).reduce((a, b) -> b)
                    .orElse("") + " " + environment.stream().filter(e -> e.startsWith("BERTH_BUILD_ARGS="))
                    .reduce((a, b) -> b).orElse("no BERTH_BUILD_ARGS"));
            return 0;
        });
        // input's string parameter: a map of what it was given, to read in the test.
        step("string", Map.class, args -> new LinkedHashMap<>(args));
        step("input", Map.class, args -> {
            events.add("input " + args.get("message") + " " + ((List<Map<String, Object>>) args.get("parameters"))
                    .stream().map(p -> p.get("name") + " (" + p.get("description") + ")").toList());
            try {
                waitingDuringInput.add(notes.waiting());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (abortInput) {
                throw sneaky(new InterruptedException("Aborted by someone"));
            }
            return answer;
        });
        // berthBuildArgs as its step runs it: core's BuildArgNotes on the controller's folder.
        step("berthBuildArgs", Map.class, args -> {
            events.add("berthBuildArgs " + (args.containsKey("values") ? "values" : "waiting=" + args.get("waiting")));
            try {
                String env = (String) args.get("environment");
                List<io.jenkins.plugins.berth.model.MissingBuildArg> missing = ((List<String>) args.get("parameters"))
                        .stream().map(p -> new io.jenkins.plugins.berth.model.MissingBuildArg(p.substring(0,
                                p.indexOf('.')), p.substring(p.indexOf('.') + 1), "", 0, Optional.empty())).toList();
                if (!args.containsKey("values")) {
                    if (Boolean.TRUE.equals(args.get("waiting"))) {
                        notes.waitFor(env, missing);
                    } else {
                        notes.stopWaiting(env);
                    }
                    return Map.of("environment", List.of());
                }
                Map<String, String> given = new LinkedHashMap<>();
                for (String line : (List<String>) args.get("values")) {
                    given.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                }
                try {
                    return Map.of("environment", BuildArgNotes.environment(notes.give(env, missing, given)));
                } catch (IllegalArgumentException e) {
                    notes.stopWaiting(env);
                    throw new IllegalStateException("berth: " + e.getMessage());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The plan berthPlan returns for a workspace whose Dockerfile needs {@code dockerfile}'s ARGs. */
    private Map<String, Object> planFor(String dockerfile, BuildArgValues remembered) throws Exception {
        Files.createDirectories(repo.resolve("web"));
        Files.writeString(repo.resolve("web/Dockerfile"), dockerfile);
        byte[] yaml = """
                version: 1
                project: shop
                registry: 127.0.0.1:5000/shop
                images:
                  web: { context: web }
                """.getBytes(StandardCharsets.UTF_8);
        io.jenkins.plugins.berth.model.DeployFile file;
        List<io.jenkins.plugins.berth.model.MissingBuildArg> missing = List.of();
        try {
            file = DeployFiles.parse("berth.yml", yaml, Optional.of(RepositoryFiles.of(repo)), remembered);
        } catch (MissingBuildArgsException e) {
            file = e.file();
            missing = e.missing();
        }
        Map<String, Object> planned = PlanJson.toPlainData(Planner.plan(file, new Planner.Request("main",
                Optional.of("abc123"), "shop")));
        planned.put("credentials", List.of());
        planned.put("walk", "walk-1");
        planned.put("missingBuildArgs", BuildArgNotes.forPlan(missing));
        planned.put("buildArgs", BuildArgNotes.environment(remembered));
        return planned;
    }

    private static final String DOCKERFILE = """
            ARG VERSION
            ARG TARBALL=app-${VERSION}.txt
            FROM alpine
            ARG TARBALL
            ARG TOKEN
            COPY ${TARBALL} /app/
            RUN fetch --token "$TOKEN"
            """;

    @Test
    void theFirstBuildAsksForTheMissingArgumentsAndBuildsWithTheAnswer() throws Exception {
        plan = planFor(DOCKERFILE, BuildArgValues.none());
        answer = Map.of("web.VERSION", "1.2", "web.TOKEN", "t0k");
        runScript("deploy.jenkinsfile");
        assertThat(events).containsSubsequence("berthBuildArgs waiting=true",
                "input Build arguments for environment shop-main (no secrets: they stay in the image) ["
                        + "web.VERSION (ARG VERSION of image web, declared at web/Dockerfile:1 (global) without a default), "
                        + "web.TOKEN (ARG TOKEN of image web, declared at web/Dockerfile:5 (stage 0) without a default)]",
                "berthBuildArgs values", "stage web",
                "runner BERTH_STEP=images:web BERTH_BUILD_ARGS={\"web\":{\"TOKEN\":\"t0k\",\"VERSION\":\"1.2\"}}");
        // While the input was open the environment waited for both (the Environments page's "needs build arguments").
        assertThat(waitingDuringInput).containsExactly(Map.of("shop-main", List.of("web.VERSION", "web.TOKEN")));
        assertThat(notes.waiting()).isEmpty();
        assertThat(notes.remembered("shop-main").byImage()).isEqualTo(Map.of("web", Map.of("TOKEN", "t0k", "VERSION",
                "1.2")));

        // The next build: berthPlan finds them remembered, and nothing is asked.
        EVENTS.clear();
        environment.clear();
        plan = planFor(DOCKERFILE, notes.remembered("shop-main"));
        assertThat((List<?>) plan.get("missingBuildArgs")).isEmpty();
        runScript("deploy.jenkinsfile");
        assertThat(events).noneMatch(e -> e.startsWith("input") || e.startsWith("berthBuildArgs"));
        assertThat(events).contains(
                "runner BERTH_STEP=images:web BERTH_BUILD_ARGS={\"web\":{\"TOKEN\":\"t0k\",\"VERSION\":\"1.2\"}}");
    }

    /**
     * A "by berth.yml" branch job asks outside any {@code node}: a person may take a while, and no executor waits for
     * them. Then it plans again on a node, where the answer is remembered, and deploys with it.
     */
    @Test
    void theBranchJobAsksWithNoExecutorHeld() throws Exception {
        answer = Map.of("web.VERSION", "1.2", "web.TOKEN", "t0k");
        step("berthPlan", Map.class, args -> {
            try {
                return planFor(DOCKERFILE, notes.remembered("shop-main"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        step("readTrusted", String.class, path -> "trusted " + path);
        step("readFile", String.class, path -> "trusted " + path);
        step("checkout", String.class, scm -> events.add("checkout"));
        getHelper().registerAllowedMethod("node", List.of(String.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(String label, Closure<?> body) {
                events.add("node {");
                try {
                    return getHelper().callClosure(body);
                } finally {
                    events.add("node }");
                }
            }
        });
        runScript("branch-build-args.jenkinsfile");
        assertThat(events).containsSubsequence("node {", "checkout", "node }", "berthBuildArgs waiting=true",
                "berthBuildArgs values", "node {", "checkout", "stage web",
                "runner BERTH_STEP=images:web BERTH_BUILD_ARGS={\"web\":{\"TOKEN\":\"t0k\",\"VERSION\":\"1.2\"}}",
                "node }");
        int input = events.indexOf(events.stream().filter(e -> e.startsWith("input ")).findFirst().orElseThrow());
        assertThat(events.subList(0, input).stream().filter(e -> e.equals("node {")).count())
                .isEqualTo(events.subList(0, input).stream().filter(e -> e.equals("node }")).count());
        assertThat(events).filteredOn(e -> e.startsWith("input ")).hasSize(1);
    }

    @Test
    void oneMissingArgumentIsAnsweredByTheBareValueInputReturns() throws Exception {
        plan = planFor("FROM alpine\nARG TOKEN\nRUN fetch $TOKEN\n", BuildArgValues.none());
        answer = "only";
        runScript("deploy.jenkinsfile");
        assertThat(events).contains("runner BERTH_STEP=images:web BERTH_BUILD_ARGS={\"web\":{\"TOKEN\":\"only\"}}");
    }

    @Test
    void aFileThatGivesEveryArgumentAsksNothing() throws Exception {
        plan = planFor("FROM alpine\nARG TOKEN=default\nRUN fetch $TOKEN\n", BuildArgValues.none());
        runScript("deploy.jenkinsfile");
        assertThat(events).noneMatch(e -> e.startsWith("input") || e.startsWith("berthBuildArgs"));
        assertThat(events).contains("runner BERTH_STEP=images:web no BERTH_BUILD_ARGS");
    }

    @Test
    void anAbortedInputEndsTheWaitAndBuildsNothing() throws Exception {
        plan = planFor(DOCKERFILE, BuildArgValues.none());
        abortInput = true;
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).isInstanceOf(InterruptedException.class);
        assertThat(events).containsSubsequence("berthBuildArgs waiting=true", "berthBuildArgs waiting=false");
        assertThat(events).noneMatch(e -> e.startsWith("runner") || e.startsWith("stage"));
        assertThat(notes.waiting()).isEmpty();
        assertThat(notes.remembered("shop-main").isEmpty()).isTrue();
    }

    @Test
    void anEmptyAnswerFailsTheBuildNamingWhatIsMissingAndRemembersNothing() throws Exception {
        plan = planFor(DOCKERFILE, BuildArgValues.none());
        answer = Map.of("web.VERSION", "1.2", "web.TOKEN", " ");
        assertThatThrownBy(() -> runScript("deploy.jenkinsfile")).hasMessageContaining(
                "berth: no value for build argument web.TOKEN; run the build again and give it, or add it to"
                        + " images.<name>.args in the deploy file");
        assertThat(events).noneMatch(e -> e.startsWith("runner"));
        assertThat(notes.waiting()).isEmpty();
        assertThat(notes.remembered("shop-main").isEmpty()).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable failure) throws T {
        throw (T) failure;
    }

    private <T> void step(String name, Class<T> argument, Function<T, Object> body) {
        getHelper().registerAllowedMethod(name, List.of(argument), new Closure<Object>(this) {
            @SuppressWarnings({"unused", "unchecked"})
            public Object doCall(Object value) {
                return body.apply((T) value);
            }
        });
    }

    private void block(String name, Function<Object, String> describe) {
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
}
