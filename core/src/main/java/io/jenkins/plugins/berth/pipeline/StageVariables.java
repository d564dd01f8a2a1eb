package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.model.PhaseName;
import io.jenkins.plugins.berth.run.RunFacts;
import io.jenkins.plugins.berth.run.RunVariables;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.model.BuiltinVariables;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Scope;
import io.jenkins.plugins.berth.model.Secret;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The variables of a stage that someone else runs (a Jenkins {@code sh} inside a stage's image): the
 * plain values from the deploy file and what earlier steps recorded, and the secrets by name and
 * credential only, for the caller to bind. A sensitive output is never recorded, so it cannot be
 * handed over as plain data: it is left out and named in {@code unavailable}, for the caller to say so.
 *
 * @param environment variable name to value, secrets left out
 * @param secrets the secrets the stage sees: variable name and credential id
 * @param unavailable variables the record lacks, each with why ({@code APP_TOKEN (output app.token: ...)})
 * @param skipped true when the stage must not run: an earlier step's failure stopped its walk, and it is not
 *     {@code always} (the runner's rule, {@code berth up --step --walk}, read from the same record)
 */
public record StageVariables(Map<String, String> environment, List<Secret> secrets, List<String> unavailable,
        boolean skipped) {

    public StageVariables {
        environment = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        secrets = List.copyOf(secrets);
        unavailable = List.copyOf(unavailable);
    }

    /**
     * The variables of a stage of {@code branch}'s environment: as its record knows them when it has one
     * ({@code stored}), else as a first deploy at {@code commit} would start them.
     */
    public static StageVariables forBranch(DeployFile file, Optional<EnvironmentRecord> stored, String defaultProject,
            String branch, Optional<String> commit, String phase, String stage, Optional<String> walk)
            throws BerthException {
        EnvironmentRecord record;
        if (stored.isPresent()) {
            record = stored.get();
        } else {
            BranchEnvironments.Target target = BranchEnvironments.of(file, defaultProject, branch);
            java.time.Instant now = java.time.Instant.now();
            record = EnvironmentRecord.create(target.environment(), target.project(), branch, target.kind(), false, now)
                    .withDeploy(commit, Optional.empty(), now);
        }
        StageVariables variables = of(file, record, phase, stage);
        boolean stopped = walk.isPresent() && record.walkStopped(walk.get());
        return new StageVariables(variables.environment(), variables.secrets(), variables.unavailable(),
                stopped && !stageNamed(file, phase, stage).always());
    }

    /**
     * The variables of stage {@code stage} ({@code init_stages} or {@code stages}) in the environment
     * {@code record} describes, as far as the record knows them.
     */
    public static StageVariables of(DeployFile file, EnvironmentRecord record, String phase, String stage)
            throws BerthException {
        Scope.Kind kind = kindOf(phase);
        stageNamed(file, phase, stage);
        RunVariables variables = new RunVariables(file, RunFacts.of(record), Map.of());
        record.images().forEach((image, pinned) -> variables.publish(BuiltinVariables.imageVariable(image), pinned));
        record.outputs().forEach(variables::publish);
        record.url().ifPresent(url -> variables.setBuiltin(BuiltinVariables.ENV_URL, url));

        Scope.Site site = Scope.Site.of(kind);
        Map<String, String> known = variables.knownEnvironment(site, Map.of());
        Map<String, String> environment = new LinkedHashMap<>();
        List<Secret> secrets = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Scope.Definition definition : Scope.of(file).visibleAt(site)) {
            String name = definition.name();
            if (definition.origin() == Scope.Origin.SECRET) {
                Optional.ofNullable(file.secrets().get(name)).ifPresent(secrets::add);
            } else if (known.containsKey(name)) {
                environment.put(name, known.get(name));
            } else {
                unknown.add(name + " (" + (definition.origin() == Scope.Origin.OUTPUT
                        ? "output " + definition.stack().map(s -> s + ".").orElse("") + definition.detail()
                        + ": sensitive, or its stack has not run" : "not recorded") + ")");
            }
        }
        return new StageVariables(environment, secrets, unknown, false);
    }

    /** The stage {@code name} of {@code phase}, or why there is none. */
    private static io.jenkins.plugins.berth.model.Stage stageNamed(DeployFile file, String phase, String name)
            throws BerthException {
        List<io.jenkins.plugins.berth.model.Stage> stages = kindOf(phase) == Scope.Kind.INIT ? file.initStages()
                : file.stages();
        return stages.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new BerthException("the deploy file has no " + phase + " stage '" + name + "'"));
    }

    private static Scope.Kind kindOf(String phase) throws BerthException {
        return PhaseName.ofKey(phase).flatMap(StageVariables::stageKind).orElseThrow(() ->
                new BerthException("only init_stages and stages run in a Pipeline sh, not " + phase));
    }

    /** The scope of a phase whose stages run in a Pipeline {@code sh}. */
    private static Optional<Scope.Kind> stageKind(PhaseName phase) {
        return switch (phase) {
            case INIT_STAGES -> Optional.of(Scope.Kind.INIT);
            case STAGES -> Optional.of(Scope.Kind.STAGES);
            default -> Optional.empty();
        };
    }
}
