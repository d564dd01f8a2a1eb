package io.jenkins.plugins.berth.jenkins.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS;
import com.lesfurets.jenkins.unit.MethodCall;
import groovy.lang.Closure;
import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import io.jenkins.plugins.berth.pipeline.DeployDefaults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scripts of Berth's own jobs, {@code berth.branchJob} and {@code berth.teardownKept}, with
 * JenkinsPipelineUnit: Jenkins cannot run here, so {@code readTrusted}, {@code readFile} and Berth's
 * steps are stand-ins that return what a trusted revision and a checkout would.
 */
class BerthBranchJobTest extends BasePipelineTestCPS {

    private String trusted = "version: 1\n";
    private String checkedOut = "version: 1\n";
    private final List<Map<?, ?>> planCalls = new ArrayList<>();
    /** What {@code berthDefaults} returns: core's own output, as the step hands it over. */
    private DeployDefaults defaults = DeployDefaults.NONE;
    // Static, as the docker mock records into them: the CPS program holds it and serializes it at every step.
    private static final List<String> registries = java.util.Collections.synchronizedList(new ArrayList<>());
    /** What berthAccess answers; a trusted branch unless a test says otherwise. */
    private Map<String, Object> access = access(true, false, "branch feature/x is trusted: deployed with its credentials");
    /** Who submits each input, in turn; and who holds Berth/Approve. */
    private final java.util.Deque<String> submitters = new java.util.ArrayDeque<>();
    private java.util.Set<String> approvers = java.util.Set.of();
    /** The plan's phases berthPlan returns; none unless a test sets some. */
    private List<Object> phases = List.of();
    /** What berthPlan says of the build's cause: a redeploy the folder's changed settings asked for. */
    private boolean settingsRedeploy;
    /** How deep in a withCredentials that binds the folder's registry login the script is. */
    private static int loggedIn;
    /** The shell commands and image blocks, each noting whether the folder's registry login was around it. */
    private static final List<String> commands = java.util.Collections.synchronizedList(new ArrayList<>());
    /** The running test's helper, for the serializable docker mock to run bodies CPS-transformed. */
    private static com.lesfurets.jenkins.unit.PipelineTestHelper HELPER;

    /** The scripts Berth's jobs run, each behind the line that gives it the {@code berth} variable. */
    @TempDir
    Path scripts;

    @BeforeEach
    void pipeline() throws Exception {
        String berth = "def berth = new io.jenkins.plugins.berth.jenkins.dsl.Berth(this)\n";
        Files.writeString(scripts.resolve("branch.jenkinsfile"), berth + BranchJobScripts.branchJob("deploy/berth.yml"));
        Files.writeString(scripts.resolve("teardown.jenkinsfile"), berth + BranchJobScripts.TEARDOWN);
        setScriptRoots(new String[] {scripts.toString(), "src/main/resources"});
        setScriptExtension("jenkinsfile");
        super.setUp();
        HELPER = getHelper();
        registries.clear();
        commands.clear();
        loggedIn = 0;
        getBinding().setVariable("env", Map.of("BRANCH_NAME", "feature/x", "GIT_COMMIT", "abc"));
        getBinding().setVariable("scm", Map.of());
        getBinding().setVariable("params", Map.of("BERTH_PROJECT", "shop", "BERTH_ENVIRONMENT", "shop-feature-x",
                "BERTH_SKIP_STAGES", false, "BERTH_SKIP_REASON", ""));
        getHelper().registerAllowedMethod("readTrusted", List.of(String.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(String path) {
                return path.equals("deploy/berth.yml") ? trusted : "trusted " + path;
            }
        });
        getHelper().registerAllowedMethod("berthAccess", List.of(), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall() {
                return access;
            }
        });
        getHelper().registerAllowedMethod("input", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments) {
                return submitters.removeFirst();
            }
        });
        getHelper().registerAllowedMethod("berthApprove", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments) {
                boolean counts = approvers.contains(arguments.get("approver"));
                if (counts) {
                    access = access(false, true, "pull request PR-7 is untrusted (...): approved by "
                            + arguments.get("approver") + ", deployed with its credentials");
                }
                return counts;
            }
        });
        getHelper().registerAllowedMethod("readFile", List.of(String.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(String path) {
                return checkedOut;
            }
        });
        getHelper().registerAllowedMethod("berthPlan", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments) {
                planCalls.add(arguments);
                return Map.of("environment", Map.of("name", "shop-feature-x"), "project", "shop", "branch", "feature/x",
                        "file", "berth.yml", "phases", phases, "credentials", List.of(), "settingsRedeploy", settingsRedeploy,
                        "kept", List.of(Map.of("path", "berth.yml", "repositoryPath", "deploy/berth.yml"),
                                Map.of("path", "teardown.sh", "repositoryPath", "deploy/teardown.sh")));
            }
        });
        getHelper().registerAllowedMethod("berthDefaults", List.of(), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall() {
                return handedOver(defaults);
            }
        });
        getHelper().registerAllowedMethod("berthDefaults", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments) {
                return handedOver(defaults);
            }
        });
        for (String binding : List.of("aws", "file", "string", "usernamePassword")) {
            getHelper().registerAllowedMethod(binding, List.of(Map.class), new Closure<Object>(this) {
                @SuppressWarnings("unused")
                public Object doCall(Map<?, ?> arguments) {
                    return binding + " " + new java.util.TreeMap<>(arguments);
                }
            });
        }
        getHelper().registerAllowedMethod("berthKeptCredentials", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments) {
                return List.of(Map.of("credentialsId", "shop-db", "variable", "BERTH_SECRET_SHOP_DB"));
            }
        });
        getBinding().setVariable("docker", new Docker());
        getHelper().registerAllowedMethod("error", List.of(String.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(String message) {
                throw new IllegalStateException(message);
            }
        });
        getHelper().registerAllowedMethod("withEnv", List.of(List.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(List<?> arguments, Closure<?> body) {
                return getHelper().callClosure(body);
            }
        });
        getHelper().registerAllowedMethod("withCredentials", List.of(List.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(List<?> arguments, Closure<?> body) {
                boolean login = arguments.stream().anyMatch(binding -> String.valueOf(binding)
                        .startsWith("usernamePassword") && String.valueOf(binding).contains("BERTH_REGISTRY_PASSWORD"));
                loggedIn += login ? 1 : 0;
                try {
                    return getHelper().callClosure(body);
                } finally {
                    loggedIn -= login ? 1 : 0;
                }
            }
        });
        getHelper().registerAllowedMethod("stage", List.of(String.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(String name, Closure<?> body) {
                return getHelper().callClosure(body);
            }
        });
        getHelper().registerAllowedMethod("sh", List.of(String.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(String command) {
                commands.add((command.contains("$BERTH_RUNNER") ? "runner" : command)
                        + (command.contains(" redeploy ") ? " redeploy" : "")
                        + (loggedIn > 0 ? " logged in to the folder's registry" : ""));
                return null;
            }
        });
        // The runner's steps: sh(script:, returnStatus: true); every step succeeds here.
        getHelper().registerAllowedMethod("sh", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments) {
                String command = (String) arguments.get("script");
                commands.add((command.contains("$BERTH_RUNNER") ? "runner" : command)
                        + (command.contains("--report") ? " report" : "")
                        + (loggedIn > 0 ? " logged in to the folder's registry" : ""));
                return 0;
            }
        });
        getHelper().registerAllowedMethod("berthStageVariables", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments) {
                return Map.of("environment", List.of(), "secrets", List.of());
            }
        });
        getHelper().registerAllowedMethod("berthEnvironment", List.of(Map.class, Closure.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments, Closure<?> body) {
                return getHelper().callClosure(body);
            }
        });
    }

    /** berthAccess's answer: trusted or not, waiting for an approval or not. */
    private static Map<String, Object> access(boolean trusted, boolean credentials, String summary) {
        return Map.of("change", trusted ? "branch feature/x" : "pull request PR-7", "trusted", trusted,
                "credentials", credentials, "waitsForApproval", !trusted && !credentials && summary.contains("waits"),
                "summary", summary, "pullRequest", !trusted);
    }

    /** The docker global variable's {@code withRegistry} (which Berth must not call) and {@code image(..).inside}. */
    public static final class Docker implements java.io.Serializable {
        private static final long serialVersionUID = 1L;

        public Object withRegistry(String url, String credentialsId, Closure<?> body) {
            registries.add(url + " " + credentialsId);
            loggedIn++;
            try {
                return HELPER.callClosure(body);
            } finally {
                loggedIn--;
            }
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
            commands.add("inside " + name + (loggedIn > 0 ? " logged in to the folder's registry" : ""));
            return HELPER.callClosure(body);
        }
    }

    private List<String> calls(String name) {
        List<String> calls = new ArrayList<>();
        for (MethodCall call : getHelper().getCallStack()) {
            if (call.getMethodName().equals(name)) {
                calls.add(call.argsToString());
            }
        }
        return calls;
    }

    @Test
    void aBranchJobDeploysTheTrustedDeployFile() throws Exception {
        runScript("branch.jenkinsfile");
        assertThat(calls("readTrusted")).first().isEqualTo("deploy/berth.yml");
        assertThat(calls("checkout")).hasSize(1);
        assertThat(planCalls).containsExactly(Map.of("branch", "feature/x", "commit", "abc", "file", "deploy/berth.yml"));
        assertThat(calls("berthEnvironment")).hasSize(1);
        assertThat(calls("echo")).contains("berth: branch feature/x is trusted: deployed with its credentials");
    }

    /** The teardown's files go to the controller as the trusted revision has them, never from the workspace. */
    @Test
    void aBranchJobTheFoldersChangedSettingsScheduledRedeploysInsteadOfDeploying() throws Exception {
        phases = List.of(Map.of("name", "stages", "groups", List.of(
                List.of(Map.of("name", "hello", "kind", "stage", "settings", Map.of("run", "echo hello"))))));
        runScript("branch.jenkinsfile");
        assertThat(commands).as("a deploy runs the plan's steps").isNotEmpty().noneMatch(c -> c.contains("redeploy"));

        commands.clear();
        settingsRedeploy = true;
        runScript("branch.jenkinsfile");
        assertThat(commands).as("the redeploy: berth redeploy alone, no step of the plan").containsExactly("runner redeploy");
        assertThat(planCalls).as("planned once per build").hasSize(2);
    }

    @Test
    void theFilesATeardownNeedsAreReadFromTheTrustedRevisionForTheController() throws Exception {
        runScript("branch.jenkinsfile");
        assertThat(calls("readTrusted")).containsExactly("deploy/berth.yml", "deploy/berth.yml", "deploy/teardown.sh");
        assertThat(calls("berthEnvironment")).singleElement().asString()
                .contains("kept={berth.yml=version: 1\n, teardown.sh=trusted deploy/teardown.sh}");
    }

    @Test
    void anUntrustedPullRequestDeploysWithoutCredentialsAndSaysSo() throws Exception {
        access = access(false, false, "pull request PR-7 is untrusted (every pull request is untrusted in this"
                + " folder): deployed without credentials");
        runScript("branch.jenkinsfile");
        assertThat(calls("input")).isEmpty();
        assertThat(calls("echo")).contains("berth: pull request PR-7 is untrusted (every pull request is untrusted"
                + " in this folder): deployed without credentials");
        assertThat(calls("berthEnvironment")).hasSize(1);
    }

    /**
     * Under the approval policy the build asks before taking a node, naming the change; an approval by someone
     * without Berth/Approve does not count and the build asks again.
     */
    @Test
    void anUntrustedPullRequestWaitsForAnApprovalByAUserWithThePermissionBeforeTakingANode() throws Exception {
        access = access(false, false, "pull request PR-7 is untrusted (...): waits for approval by a user with"
                + " Berth/Approve");
        submitters.addAll(List.of("mallory", "alice"));
        approvers = java.util.Set.of("alice");
        runScript("branch.jenkinsfile");
        assertThat(calls("input")).hasSize(2).allSatisfy(call -> assertThat(call)
                .contains("message=Deploy pull request PR-7 with its credentials?", "submitterParameter=approver"));
        assertThat(calls("berthApprove")).containsExactly("{approver=mallory}", "{approver=alice}");
        List<String> order = new ArrayList<>();
        for (MethodCall call : getHelper().getCallStack()) {
            if (List.of("input", "node", "berthEnvironment").contains(call.getMethodName())) {
                order.add(call.getMethodName());
            }
        }
        assertThat(order).containsExactly("input", "input", "node", "berthEnvironment");
        assertThat(calls("echo")).contains("berth: pull request PR-7 is untrusted (...): approved by alice,"
                + " deployed with its credentials");
    }

    @Test
    void aCheckoutWhoseDeployFileDiffersFromTheTrustedOneIsRefusedBeforeAnythingRuns() {
        checkedOut = "version: 1\nsecrets: { STOLEN: prod-db-password }\n";
        assertThatThrownBy(() -> runScript("branch.jenkinsfile"))
                .hasMessageContaining("berth: deploy/berth.yml in the checkout differs from the trusted revision's");
        assertThat(planCalls).isEmpty();
        assertThat(calls("berthEnvironment")).isEmpty();
    }

    @Test
    void theTeardownJobDestroysTheKeptEnvironmentWithoutACheckout() throws Exception {
        runScript("teardown.jenkinsfile");
        assertThat(calls("checkout")).isEmpty();
        assertThat(calls("berthEnvironment")).singleElement().asString()
                .contains("environment=shop-feature-x").contains("project=shop");
        assertThat(calls("sh")).singleElement().asString()
                .endsWith(" down --state \"$BERTH_STATE\" --env \"$BERTH_RUN_ENV\" --secrets-from-env");
        assertThat(calls("withEnv")).singleElement().asString().contains("BERTH_RUN_ENV=shop-feature-x");
    }

    @Test
    void theTeardownJobSkipsTheTeardownStagesWhenItsParametersSaySo() throws Exception {
        getBinding().setVariable("params", Map.of("BERTH_PROJECT", "shop", "BERTH_ENVIRONMENT", "shop-feature-x",
                "BERTH_SKIP_STAGES", true, "BERTH_SKIP_REASON", "cleanup API retired"));
        runScript("teardown.jenkinsfile");
        assertThat(calls("sh")).singleElement().asString().endsWith(" down --state \"$BERTH_STATE\" --env"
                + " \"$BERTH_RUN_ENV\" --secrets-from-env --skip-stages --reason \"$BERTH_RUN_REASON\"");
        assertThat(calls("withEnv")).singleElement().asString().contains("BERTH_RUN_REASON=cleanup API retired");
    }

    @Test
    void aBranchJobRunsOnTheFoldersAgentWithItsRegistryAndCloudCredentials() throws Exception {
        defaults = DeployDefaults.of("linux && docker", "registry.example.com", "ci-registry",
                "aws shop-aws\nfile GOOGLE_APPLICATION_CREDENTIALS=shop-gcp", "3d", "");
        // The image step pushes to the folder's registry: it alone gets the login; a stage run by the runner gets none,
        // and a stage in a public image must not be pulled from it.
        phases = List.of(Map.of("name", "images", "groups", List.of(
                List.of(Map.of("name", "web", "kind", "image", "settings", Map.of())))),
                Map.of("name", "stages", "groups", List.of(
                List.of(Map.of("name", "migrate", "kind", "stage", "settings", Map.of("run", "./migrate.sh"))),
                List.of(Map.of("name", "lint", "kind", "stage",
                        "settings", Map.of("run", "npm run lint", "image", "node:20"))))));
        runScript("branch.jenkinsfile");
        assertThat(calls("node")).containsExactly("linux && docker, groovy.lang.Closure");
        // The login around the image step alone, bound as variables for the runner: no docker login, no docker CLI
        // on the agent; the stage steps (the runner's and the report of the one the image ran) run without it.
        assertThat(registries).as("docker.withRegistry").isEmpty();
        assertThat(commands).containsExactly("runner logged in to the folder's registry", "runner", "inside node:20",
                "npm run lint", "runner report");
        String login = "[usernamePassword {credentialsId=ci-registry, passwordVariable=BERTH_REGISTRY_PASSWORD,"
                + " usernameVariable=BERTH_REGISTRY_USERNAME}], groovy.lang.Closure";
        assertThat(calls("withCredentials")).filteredOn(call -> call.contains("usernamePassword"))
                .containsExactly(login);
        assertThat(calls("withEnv")).filteredOn(call -> call.contains("BERTH_REGISTRY_HOST"))
                .containsExactly("[BERTH_REGISTRY_HOST=registry.example.com], groovy.lang.Closure");
        assertThat(calls("withCredentials")).first().asString().contains(
                "aws {accessKeyVariable=AWS_ACCESS_KEY_ID, credentialsId=shop-aws, secretKeyVariable=AWS_SECRET_ACCESS_KEY}",
                "file {credentialsId=shop-gcp, variable=GOOGLE_APPLICATION_CREDENTIALS}");
        assertThat(calls("withEnv")).anySatisfy(call -> assertThat(call).contains("BERTH_DEFAULT_TTL=3d"));
    }

    @Test
    void theFoldersKubeconfigCredentialsAreBoundAsKubeconfigForDeployAndTeardown() throws Exception {
        // builder: kaniko-job talks to the cluster of KUBECONFIG: the folder's secret file, bound after the cloud ones.
        defaults = DeployDefaults.of("", "", "", "aws shop-aws", "", "").withKubeconfig("ci-kubeconfig");
        runScript("branch.jenkinsfile");
        assertThat(calls("withCredentials")).first().asString().contains(
                "aws {accessKeyVariable=AWS_ACCESS_KEY_ID, credentialsId=shop-aws, secretKeyVariable=AWS_SECRET_ACCESS_KEY}"
                        + ", file {credentialsId=ci-kubeconfig, variable=KUBECONFIG}");
        getHelper().getCallStack().clear();
        getBinding().setVariable("params", Map.of("BERTH_PROJECT", "shop", "BERTH_ENVIRONMENT", "shop-feature-x"));
        runScript("teardown.jenkinsfile");
        assertThat(calls("withCredentials")).singleElement().asString()
                .contains("file {credentialsId=ci-kubeconfig, variable=KUBECONFIG}");
    }

    @Test
    void withoutDefaultsNothingIsBoundAndAnyAgentWillDo() throws Exception {
        runScript("branch.jenkinsfile");
        assertThat(calls("node")).containsExactly(", groovy.lang.Closure");
        assertThat(registries).isEmpty();
        assertThat(calls("usernamePassword")).isEmpty();
        // Only the deploy file's (empty) bindings: no cloud credentials block.
        assertThat(calls("withCredentials")).containsExactly("[], groovy.lang.Closure");
        assertThat(calls("withEnv")).anySatisfy(call -> assertThat(call).contains("BERTH_DEFAULT_TTL="));
    }

    /** The teardown's image removal authenticates with the folder's registry login, bound as for a deploy. */
    @Test
    void theTeardownJobBindsTheFoldersRegistryLoginForTheRunner() throws Exception {
        defaults = DeployDefaults.of("", "registry.example.com:5443", "ci-registry", "", "", "");
        runScript("teardown.jenkinsfile");
        assertThat(registries).as("docker.withRegistry").isEmpty();
        assertThat(commands).singleElement().isEqualTo("runner logged in to the folder's registry");
        assertThat(calls("withEnv")).contains("[BERTH_REGISTRY_HOST=registry.example.com:5443], groovy.lang.Closure");
    }

    @Test
    void theTeardownJobAsksForTheDefaultsOfTheProjectsFolder() throws Exception {
        defaults = DeployDefaults.of("linux", "", "", "aws shop-aws", "", "");
        runScript("teardown.jenkinsfile");
        assertThat(calls("berthDefaults")).containsExactly("{project=shop, environment=shop-feature-x}");
        assertThat(calls("node")).containsExactly("linux, groovy.lang.Closure");
        // The folder's cloud credentials and the kept deploy file's secrets (for the teardown stages and
        // Terraform variables), bound together.
        assertThat(calls("berthKeptCredentials")).containsExactly("{environment=shop-feature-x, project=shop}");
        assertThat(calls("withCredentials")).singleElement().asString().contains("aws {accessKeyVariable=",
                "string {credentialsId=shop-db, variable=BERTH_SECRET_SHOP_DB}");
    }

    @Test
    void theJobScriptsAreTheOnesTestedHere() {
        assertThat(BranchJobScripts.branchJob("deploy/berth.yml")).isEqualTo("berth.branchJob(file: 'deploy/berth.yml')\n");
        assertThat(BranchJobScripts.TEARDOWN).isEqualTo("berth.teardownKept(project: params.BERTH_PROJECT, environment:"
                + " params.BERTH_ENVIRONMENT, skipStages: params.BERTH_SKIP_STAGES, reason: params.BERTH_SKIP_REASON)\n");
    }

    /** What the step hands over: core's output, and that the build is trusted with credentials (as here). */
    private static Map<String, Object> handedOver(DeployDefaults defaults) {
        Map<String, Object> values = new java.util.LinkedHashMap<>(defaults.forPipeline());
        values.put("credentials", true);
        return values;
    }
}
