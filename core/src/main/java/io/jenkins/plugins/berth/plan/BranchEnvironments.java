package io.jenkins.plugins.berth.plan;

import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.model.DeployFile;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which environment a branch or pull request deploys to. One place answers it for the engine, the
 * Jenkins steps and the Berth folder, so that a branch job and the teardown of its environment always
 * agree on the name.
 */
public final class BranchEnvironments {

    /** A branch's environment: its project (the file's, else the default) and the environment's name and kind. */
    public record Target(String branch, String project, String environment, EnvironmentKind kind) {}

    private BranchEnvironments() {}

    /**
     * @param defaultProject the project when the file names none: the repository or folder name
     * @param branch the branch as Jenkins or git names it ({@code feature/login}, {@code PR-12})
     */
    public static Target of(DeployFile file, String defaultProject, String branch) {
        String project = file.project().orElse(defaultProject);
        return new Target(branch, project, EnvironmentNames.environmentName(file.environment().name(), project, branch),
                EnvironmentKind.ofBranch(branch));
    }

    /**
     * Environments that more than one branch maps to ({@code feature/a} and {@code feature-a} both give
     * {@code shop-feature-a}): each branch would deploy over the other. By environment, the branches sorted.
     */
    public static Map<String, List<String>> clashes(Collection<Target> targets) {
        return targets.stream()
                .collect(Collectors.groupingBy(Target::environment, TreeMap::new,
                        Collectors.mapping(Target::branch, Collectors.toList())))
                .entrySet().stream().filter(e -> e.getValue().size() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().stream().sorted().toList(),
                        (a, b) -> a, TreeMap::new));
    }
}
