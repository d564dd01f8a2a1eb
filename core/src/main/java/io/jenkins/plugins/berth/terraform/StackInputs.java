package io.jenkins.plugins.berth.terraform;

import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Stack;
import io.jenkins.plugins.berth.model.Template;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.run.SecretMasker;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What a stack is given: the {@code berth_*} facts and the stack's {@code vars}, only those its module
 * declares. Values that hold a secret go to Terraform as {@code TF_VAR_<name>} variables of its
 * process; everything else into {@code berth.auto.tfvars.json}. No secret is ever written to a file.
 */
record StackInputs(Map<String, String> file, Map<String, String> secretEnvironment) {

    static final String TFVARS = "berth.auto.tfvars.json";

    static StackInputs of(Stack stack, Set<String> declared, RunVariables variables, SecretMasker masker) {
        Map<String, String> file = new LinkedHashMap<>();
        Map<String, String> secret = new LinkedHashMap<>();
        facts(stack, variables).forEach((name, value) -> {
            if (declared.contains(name)) {
                file.put(name, value);
            }
        });
        for (Map.Entry<String, Template> var : stack.vars().entrySet()) {
            String value = variables.resolve(var.getValue(), Scope.Site.stack(stack.name()));
            if (masker.containsSecret(value)) {
                secret.put("TF_VAR_" + var.getKey(), value);
            } else {
                file.put(var.getKey(), value);
            }
        }
        return new StackInputs(file, secret);
    }

    /**
     * {@code berth_project}, {@code berth_environment}, ... and {@code berth_image_<name>} per built image; for a
     * shared stack only the facts that are the same for every environment of the project
     * ({@link BuiltinVariables#PROJECT_LEVEL}: {@code berth_project}, {@code berth_registry}). A shared stack is
     * applied once for the project: given the deploying environment's name, branch, commit or images, it would
     * be changed again by every other environment's deploy.
     */
    static Map<String, String> facts(Stack stack, RunVariables variables) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (String name : stack.shared() ? BuiltinVariables.PROJECT_LEVEL : BuiltinVariables.FROM_START) {
            variables.builtin(name).ifPresent(value -> facts.put(BuiltinVariables.terraformVariable(name), value));
        }
        if (!stack.shared()) {
            variables.published().forEach((name, value) -> {
                if (name.startsWith(BuiltinVariables.IMAGE_PREFIX)) {
                    facts.put(BuiltinVariables.terraformVariable(name), value);
                }
            });
        }
        return facts;
    }
}
