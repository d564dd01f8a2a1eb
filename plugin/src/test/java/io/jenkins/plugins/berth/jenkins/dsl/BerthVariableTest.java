package io.jenkins.plugins.berth.jenkins.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.lesfurets.jenkins.unit.cps.BasePipelineTestCPS;
import com.lesfurets.jenkins.unit.MethodCall;
import groovy.lang.Closure;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code berth} Groovy variable with JenkinsPipelineUnit: Jenkinsfiles run with the Berth class
 * from the plugin's resources, steps mocked (no Jenkins runs here), calls recorded.
 */
class BerthVariableTest extends BasePipelineTestCPS {

    private final List<Map<?, ?>> planCalls = new ArrayList<>();

    @BeforeEach
    void pipeline() throws Exception {
        setScriptRoots(new String[] {"src/test/resources/io/jenkins/plugins/berth/jenkins/dsl/BerthVariableTest",
            "src/main/resources"});
        setScriptExtension("jenkinsfile");
        super.setUp();
        getHelper().registerAllowedMethod("berthPlan", List.of(Map.class), new Closure<Object>(this) {
            @SuppressWarnings("unused")
            public Object doCall(Map<?, ?> arguments) {
                planCalls.add(arguments);
                return Map.of("environment", Map.of("name", "shop-" + arguments.get("branch").toString()
                        .replace('/', '-')));
            }
        });
    }

    private List<String> echoes() {
        List<String> echoes = new ArrayList<>();
        for (MethodCall call : getHelper().getCallStack()) {
            if (call.getMethodName().equals("echo")) {
                echoes.add(call.argsToString());
            }
        }
        return echoes;
    }

    @Test
    void planPassesTheBuildsBranchAndCommitToTheStep() throws Exception {
        getBinding().setVariable("env", Map.of("BRANCH_NAME", "main", "GIT_COMMIT", "abc123"));
        runScript("plan.jenkinsfile");
        assertThat(planCalls).containsExactly(
                Map.of("branch", "main", "commit", "abc123"),
                Map.of("branch", "feature/x", "commit", "abc123", "file", "deploy/berth.yml"));
        assertThat(echoes()).containsExactly("environment shop-main", "named shop-feature-x");
    }

    @Test
    void withoutABranchItSaysWhatToDo() {
        getBinding().setVariable("env", Map.of());
        assertThatThrownBy(() -> runScript("nobranch.jenkinsfile"))
                .hasMessageContaining("berth: no branch: run in a multibranch job, or pass branch: ...");
        assertThat(planCalls).isEmpty();
    }
}
