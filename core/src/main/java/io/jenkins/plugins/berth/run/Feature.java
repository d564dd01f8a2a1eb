package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.model.PhaseName;
import java.util.Optional;
import io.jenkins.plugins.berth.model.DeployFile;
import io.jenkins.plugins.berth.model.Position;
import io.jenkins.plugins.berth.model.Problem;
import io.jenkins.plugins.berth.model.Stage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The parts of the deploy file that need more than running stages. The engine supports a feature when
 * the matching phase is plugged in; a file that uses a feature the engine lacks is refused before
 * anything runs, never half run.
 */
public enum Feature {
    IMAGES(PhaseName.IMAGES, "building images"),
    BUILDS(PhaseName.BUILDS, "Packer builds"),
    INFRASTRUCTURE(PhaseName.INFRASTRUCTURE, "applying Terraform/OpenTofu stacks"),
    BLUE_GREEN("deploy", "blue-green deploys"),
    ECS_TARGET("target: ecs", "blue-green deploys to ECS"),
    RELEASE(PhaseName.RELEASE, "release stages"),
    TEARDOWN(PhaseName.TEARDOWN, "teardown stages");

    private final String key;
    private final Optional<PhaseName> phase;
    private final String what;

    Feature(PhaseName phase, String what) {
        this.key = phase.key();
        this.phase = Optional.of(phase);
        this.what = what;
    }

    Feature(String key, String what) {
        this.key = key;
        this.phase = Optional.empty();
        this.what = what;
    }

    /** The phase this feature is, when it is a whole phase (images, infrastructure, release, teardown). */
    public Optional<PhaseName> phase() {
        return phase;
    }

    /** The deploy-file key that asks for this feature. */
    public String key() {
        return key;
    }

    /**
     * One problem for each feature {@code file} uses that {@code supported} lacks, at the first place
     * the file uses it (each deploy stage is reported, since each would be skipped).
     */
    public static List<Problem> unsupported(DeployFile file, Set<Feature> supported) {
        List<Problem> problems = new ArrayList<>();
        if (!supported.contains(IMAGES) && !file.images().isEmpty()) {
            problems.add(IMAGES.problem(file.images().values().iterator().next().position()));
        }
        if (!supported.contains(BUILDS) && !file.builds().isEmpty()) {
            problems.add(BUILDS.problem(file.builds().get(0).position()));
        }
        if (!supported.contains(INFRASTRUCTURE) && !file.infrastructure().isEmpty()) {
            problems.add(INFRASTRUCTURE.problem(file.infrastructure().get(0).position()));
        }
        for (Stage stage : file.stages()) {
            if (stage.action() instanceof Stage.DeployAction action) {
                if (!supported.contains(BLUE_GREEN)) {
                    problems.add(BLUE_GREEN.problem(stage.position()));
                } else if (action.deploy().target() == io.jenkins.plugins.berth.model.Deploy.Target.ECS
                        && !supported.contains(ECS_TARGET)) {
                    problems.add(ECS_TARGET.problem(stage.position()));
                }
            }
        }
        if (!supported.contains(RELEASE) && !file.release().isEmpty()) {
            problems.add(RELEASE.problem(file.release().get(0).position()));
        }
        if (!supported.contains(TEARDOWN) && !file.teardown().isEmpty()) {
            problems.add(TEARDOWN.problem(file.teardown().get(0).position()));
        }
        return problems;
    }

    private Problem problem(Position position) {
        return new Problem(position, "'" + key + "' is not supported yet: this version of Berth cannot run " + what
                + ". Remove '" + key + "' to run the file now; 'berth plan' still shows what it would do");
    }
}
