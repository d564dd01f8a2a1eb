package io.jenkins.plugins.berth.jenkins.steps;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * In Jenkins the state folder is the workspace's {@code .berth/state}, and the runner is always told so with
 * {@code --state}: its own default, the agent user's state home, never applies, so records stay where the
 * plugin copies them between controller and agent.
 */
class WorkspaceStateTest {

    private static final String WORKSPACE_STATE = ".berth/state";
    private static final String BERTH_VARIABLE = "/io/jenkins/plugins/berth/jenkins/dsl/Berth.groovy";
    /** The runner's commands that use a state folder. */
    private static final Pattern RUNNER_COMMAND = Pattern.compile(
            "' (?:up|down|redeploy|rollback|promote|unlock|envs|pin|unpin|reap) [^']*'");

    @Test
    void theStepsStateFolderIsTheWorkspacesUnlessOneIsGiven() {
        assertThat(BerthEnvironmentStep.stateFolder(null)).isEqualTo(WORKSPACE_STATE);
        assertThat(BerthEnvironmentStep.stateFolder(" ")).isEqualTo(WORKSPACE_STATE);
        assertThat(new BerthEnvironmentStep("shop-main").getState()).isEqualTo(WORKSPACE_STATE);
        assertThat(new BerthStageVariablesStep("test").getState()).isEqualTo(WORKSPACE_STATE);
        assertThat(new BerthKeptCredentialsStep("shop-main").getState()).isEqualTo(WORKSPACE_STATE);
        BerthEnvironmentStep given = new BerthEnvironmentStep("shop-main");
        given.setState("states");
        assertThat(given.getState()).isEqualTo("states");
    }

    @Test
    void everyRunnerCommandLineOfTheBerthVariablePassesTheStateFolder() throws Exception {
        String source;
        try (InputStream in = BerthEnvironmentStep.class.getResourceAsStream(BERTH_VARIABLE)) {
            assertThat(in).as(BERTH_VARIABLE).isNotNull();
            source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        // One literal per command line: 'a' +\n 'b' is 'ab'.
        String joined = source.replaceAll("'\\s*\\+\\s*'", "");
        Matcher commands = RUNNER_COMMAND.matcher(joined);
        List<String> found = new java.util.ArrayList<>();
        while (commands.find()) {
            found.add(commands.group());
        }
        assertThat(found).hasSizeGreaterThanOrEqualTo(5)
                .allSatisfy(command -> assertThat(command).contains("--state \"$BERTH_STATE\""));
    }
}
