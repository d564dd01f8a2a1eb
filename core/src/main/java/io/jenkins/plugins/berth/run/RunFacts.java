package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a run is about, as every stage sees it through the built-in variables: the project, environment,
 * branch and commit, and for a release stage's deploy the stage and the one before it.
 */
public record RunFacts(String project, String environment, String branch, Optional<String> commit,
        Optional<Release> release) {

    /** A release stage's deploy: {@code BERTH_STAGE} and {@code BERTH_PREVIOUS_STAGE}. */
    public record Release(String stage, String previous) {}

    public RunFacts(String project, String environment, String branch, Optional<String> commit) {
        this(project, environment, branch, commit, Optional.empty());
    }

    /** The facts a recorded environment was deployed with. */
    public static RunFacts of(EnvironmentRecord record) {
        return new RunFacts(record.project(), record.name(), record.branch(), record.commit());
    }

    /** These facts for the deploy of release stage {@code stage}, promoted from {@code previous}. */
    public RunFacts inRelease(String stage, String previous) {
        return new RunFacts(project, environment, branch, commit, Optional.of(new Release(stage, previous)));
    }

    /** The built-in variables these facts give in {@code file}. */
    public Map<String, String> builtins(DeployFile file) {
        Map<String, String> builtins = new LinkedHashMap<>();
        builtins.put(BuiltinVariables.PROJECT, project);
        builtins.put(BuiltinVariables.ENVIRONMENT, environment);
        builtins.put(BuiltinVariables.BRANCH, branch);
        builtins.put(BuiltinVariables.BRANCH_SLUG, EnvironmentNames.branchSlug(branch));
        builtins.put(BuiltinVariables.COMMIT, commit.orElse(""));
        file.registry().ifPresent(r -> builtins.put(BuiltinVariables.REGISTRY, r.toString()));
        release.ifPresent(r -> {
            builtins.put(BuiltinVariables.STAGE, r.stage());
            builtins.put(BuiltinVariables.PREVIOUS_STAGE, r.previous());
        });
        return builtins;
    }
}
