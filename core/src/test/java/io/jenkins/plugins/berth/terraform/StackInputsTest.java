package io.jenkins.plugins.berth.terraform;

import static io.jenkins.plugins.berth.TestFiles.valid;
import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Stack;
import io.jenkins.plugins.berth.run.RunFacts;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The berth_* facts a stack is given: every one to an environment's own stack, project-level ones to a shared one. */
class StackInputsTest {

    private static final Set<String> EVERY_FACT = Set.of("berth_project", "berth_environment", "berth_branch",
            "berth_branch_slug", "berth_commit", "berth_registry", "berth_image_web", "size");

    private final DeployFile file = valid("""
            version: 1
            project: shop
            registry: 127.0.0.1:5000/shop
            images: { web: {} }
            infrastructure:
              - { name: db, dir: db, shared: true, vars: { size: "${BERTH_PROJECT}-small" } }
              - { name: app, dir: app, vars: { size: "${BERTH_BRANCH_SLUG}" } }
            """);

    private StackInputs inputs(String stack, String branch) {
        RunVariables variables = new RunVariables(file, new RunFacts("shop", "shop-" + branch.replace('/', '-'), branch,
                Optional.of("c0ffee" + branch.length())), Map.of());
        variables.publish("BERTH_IMAGE_WEB", "127.0.0.1:5000/shop/web@sha256:" + branch.length());
        Stack declared = file.infrastructure().stream().filter(s -> s.name().equals(stack)).findFirst().orElseThrow();
        return StackInputs.of(declared, EVERY_FACT, variables, SecretMasker.none());
    }

    @Test
    void aSharedStackGetsTheSameInputsFromEveryEnvironment() {
        StackInputs main = inputs("db", "main");
        assertThat(main.file()).containsExactly(Map.entry("berth_project", "shop"),
                Map.entry("berth_registry", "127.0.0.1:5000/shop"), Map.entry("size", "shop-small"));
        assertThat(inputs("db", "feature/login")).isEqualTo(main);
    }

    @Test
    void anEnvironmentsOwnStackGetsEveryFact() {
        assertThat(inputs("app", "feature/login").file()).containsOnly(Map.entry("berth_project", "shop"),
                Map.entry("berth_environment", "shop-feature-login"), Map.entry("berth_branch", "feature/login"),
                Map.entry("berth_branch_slug", "feature-login"), Map.entry("berth_commit", "c0ffee13"),
                Map.entry("berth_registry", "127.0.0.1:5000/shop"),
                Map.entry("berth_image_web", "127.0.0.1:5000/shop/web@sha256:13"), Map.entry("size", "feature-login"));
    }
}
