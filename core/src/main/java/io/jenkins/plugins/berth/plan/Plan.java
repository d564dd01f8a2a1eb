package io.jenkins.plugins.berth.plan;

import io.jenkins.plugins.berth.model.PhaseName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a deploy of one branch will do, as plain data: the environment, then each phase in order with
 * its steps. Steps inside a group run in parallel; groups run one after the other. No secret value
 * is ever part of a plan: secrets appear by name and credential id only.
 */
public record Plan(String file, String project, String branch, Optional<String> commit, EnvironmentPlan environment,
        List<Phase> phases) {

    /** The phases, in the order they run. */
    public static final List<String> PHASES = PhaseName.keys(List.of(PhaseName.values()));

    public Plan {
        phases = List.copyOf(phases);
    }

    /** The environment this branch deploys to. */
    public record EnvironmentPlan(String name, String branchSlug, Optional<String> ttl,
            @com.fasterxml.jackson.annotation.JsonProperty("protected") boolean isProtected) {}

    /** One phase; {@code groups} run in order, the steps of a group in parallel. */
    public record Phase(String name, List<List<Step>> groups) {
        public Phase {
            groups = groups.stream().map(List::copyOf).toList();
        }
    }

    /**
     * A stage, image, stack or release stage. {@code settings} holds what the deploy file says about
     * it (strings, booleans, lists and maps of strings); {@code variables} what it will see.
     */
    public record Step(String name, String kind, Map<String, Object> settings, List<PlannedVariable> variables) {
        public Step {
            settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
            variables = List.copyOf(variables);
        }
    }

    /**
     * A variable a step sees. {@code value} is what is known when planning (references to values only
     * known at run time stay as {@code ${NAME}}); a secret has no value, only its credential id in
     * {@code from}. {@code from} says where the value comes from: the stack and output, the image, the
     * credential.
     */
    public record PlannedVariable(String name, String source, Optional<String> value, Optional<String> from) {}
}
