package io.jenkins.plugins.berth.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An entry of {@code infrastructure}: a Terraform/OpenTofu root module applied per environment, or once
 * per project when {@code shared}. {@code outputs} publish Terraform outputs as variables; {@code url}
 * names one of those variables as the environment's URL. Without {@code needs} a stack follows every
 * stack before it; with it, only the stacks it lists (and the shared ones), so independent stacks can
 * apply in parallel.
 */
public record Stack(String name, Position position, FileRef dir, boolean shared, Map<String, Template> vars,
        List<Output> outputs, Optional<String> url, Optional<List<Need>> needs, Optional<java.time.Duration> timeout) {

    /**
     * How long a stack's init, plan, apply and output may take together when it gives no {@code timeout}: long
     * enough for slow resources (a database cluster), short of forever.
     */
    public static final java.time.Duration DEFAULT_TIMEOUT = java.time.Duration.ofHours(2);

    /** {@code VARIABLE: terraform_output}. */
    public record Output(String variable, String terraformOutput, Position position) {}

    /** A stack this one must follow. */
    public record Need(String stack, Position position) {}

    public Stack {
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        outputs = List.copyOf(outputs);
        needs = needs.map(List::copyOf);
    }

    /** Its {@code timeout}, else {@link #DEFAULT_TIMEOUT}. */
    public java.time.Duration timeoutOrDefault() {
        return timeout.orElse(DEFAULT_TIMEOUT);
    }
}
