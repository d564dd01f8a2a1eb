package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.plan.Plan;
import java.util.List;
import java.util.Map;

/** A plan for people to read. */
final class PlanText {
    private static final String NL = System.lineSeparator();

    private PlanText() {}

    static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        Plan.EnvironmentPlan env = plan.environment();
        out.append("Plan for ").append(plan.file()).append(NL);
        out.append("  project:     ").append(plan.project()).append(NL);
        out.append("  branch:      ").append(plan.branch()).append(" (slug ").append(env.branchSlug()).append(')').append(NL);
        out.append("  commit:      ").append(plan.commit().orElse("(unknown: not a git repository; pass --commit)")).append(NL);
        out.append("  environment: ").append(env.name());
        env.ttl().ifPresent(ttl -> out.append(", ttl ").append(ttl));
        if (env.isProtected()) {
            out.append(", protected");
        }
        out.append(NL);
        for (Plan.Phase phase : plan.phases()) {
            out.append(NL).append(phase.name()).append(NL);
            if (phase.groups().isEmpty()) {
                out.append("  (nothing)").append(NL);
            }
            int number = 0;
            for (List<Plan.Step> group : phase.groups()) {
                if (group.size() > 1) {
                    out.append("  in parallel:").append(NL);
                }
                for (Plan.Step step : group) {
                    String indent = group.size() > 1 ? "    " : "  ";
                    out.append(indent).append(++number).append(". ").append(step.name()).append(" (").append(step.kind())
                            .append(')').append(NL);
                    settings(out, step.settings(), indent + "     ");
                    variables(out, step.variables(), indent + "     ");
                }
            }
        }
        return out.toString();
    }

    private static void settings(StringBuilder out, Map<String, Object> settings, String indent) {
        for (Map.Entry<String, Object> setting : settings.entrySet()) {
            Object value = setting.getValue();
            if (value instanceof Map<?, ?> map) {
                if (map.isEmpty()) {
                    continue;
                }
                out.append(indent).append(setting.getKey()).append(':').append(NL);
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) map;
                settings(out, nested, indent + "  ");
            } else if (value instanceof List<?> list) {
                if (!list.isEmpty()) {
                    out.append(indent).append(setting.getKey()).append(": ").append(String.join(", ",
                            list.stream().map(String::valueOf).toList())).append(NL);
                }
            } else {
                String text = String.valueOf(value);
                if (text.contains("\n")) {
                    out.append(indent).append(setting.getKey()).append(": |").append(NL);
                    for (String line : text.split("\n", -1)) {
                        out.append(indent).append("  ").append(line).append(NL);
                    }
                } else {
                    out.append(indent).append(setting.getKey()).append(": ").append(text).append(NL);
                }
            }
        }
    }

    private static void variables(StringBuilder out, List<Plan.PlannedVariable> variables, String indent) {
        if (variables.isEmpty()) {
            return;
        }
        out.append(indent).append("variables:").append(NL);
        int width = variables.stream().mapToInt(v -> v.name().length()).max().orElse(0);
        for (Plan.PlannedVariable variable : variables) {
            out.append(indent).append("  ").append(String.format("%-" + width + "s", variable.name()));
            if (variable.value().isPresent()) {
                out.append(" = ").append(variable.value().get());
            } else {
                out.append("   (").append(variable.source()).append(": ")
                        .append(variable.from().orElse("known at run time")).append(')');
            }
            out.append(NL);
        }
    }
}
