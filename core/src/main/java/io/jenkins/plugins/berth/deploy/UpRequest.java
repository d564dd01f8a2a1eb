package io.jenkins.plugins.berth.deploy;

import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.model.EnvironmentNames;
import io.jenkins.plugins.berth.model.PhaseName;
import io.jenkins.plugins.berth.plan.BranchEnvironments;
import io.jenkins.plugins.berth.run.RunFacts;
import io.jenkins.plugins.berth.run.SecretSource;
import io.jenkins.plugins.berth.run.Who;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code up} deploys: the branch and its commit, the project name to use when the file has none,
 * where secrets come from, how many tasks may run at once, and the ttl of an environment whose deploy
 * file sets none (a Jenkins folder's default).
 */
public record UpRequest(String branch, Optional<String> commit, String defaultProject, SecretSource secrets,
        int parallel, String who, String deployFile, Mode mode, Optional<java.time.Duration> defaultTtl) {

    /** The deploy file's path in the repository when none is given. */
    public static final String DEFAULT_DEPLOY_FILE = "berth.yml";

    /**
     * What kind of run: a full deploy; a redeploy (stages and publish only, with the environment's last
     * images and the stacks' current outputs, nothing rebuilt or applied); a release stage's deploy
     * (stacks applied for the stage's environment, stages with the promoted images and
     * {@code BERTH_STAGE}/{@code BERTH_PREVIOUS_STAGE}, nothing rebuilt); or one step of a deploy someone
     * else walks. Each mode answers what differs between them, so the engine never asks which one it has.
     */
    public sealed interface Mode permits Up, Redeploy, Release, Step {
        /** The command name recorded with the run. */
        String command();

        /** How the run starts its headline: {@code Deploying }. */
        String headline();

        /** What this mode does with a plugged-in phase when it walks the whole deploy. */
        PhaseUse use(PhaseName phase);

        /** True when the init stages run (only a full deploy builds and tests). */
        default boolean runsInitStages() {
            return false;
        }

        /** The environment deployed: the branch's, or a release stage's own. */
        default String environment(BranchEnvironments.Target target) {
            return target.environment();
        }

        /** The facts of the run: a branch's deploy's, or with a release stage's names. */
        default RunFacts facts(RunFacts branch) {
            return branch;
        }

        /** Each image's digest-pinned reference, by image name, when the run deploys images built before. */
        default Map<String, String> presetImages() {
            return Map.of();
        }

        /** The kind of a new environment record. */
        default EnvironmentKind kind(String branch) {
            return EnvironmentKind.ofBranch(branch);
        }

        /** True when the environment is protected whatever the file says (a release stage). */
        default boolean alwaysProtected() {
            return false;
        }

        /** True when the run takes the environment's lock (a step runs under its walker's). */
        default boolean locks() {
            return true;
        }
    }

    /** The outcome of a step the walker ran itself, for the runner to record and judge by the step's rules. */
    public enum Report { SUCCEEDED, FAILED }

    /** What a walk of the deploy does with a phase: run its tasks, only read what earlier runs made, or skip it. */
    public enum PhaseUse { RUN, READ, SKIP }

    public record Up() implements Mode {
        @Override
        public String command() {
            return "up";
        }

        @Override
        public String headline() {
            return "Deploying ";
        }

        @Override
        public PhaseUse use(PhaseName phase) {
            return PhaseUse.RUN;
        }

        @Override
        public boolean runsInitStages() {
            return true;
        }
    }

    /** @param images each image's digest-pinned reference, by image name */
    public record Redeploy(Map<String, String> images) implements Mode {
        @Override
        public String command() {
            return "redeploy";
        }

        @Override
        public String headline() {
            return "Redeploying (no build, no apply) ";
        }

        @Override
        public PhaseUse use(PhaseName phase) {
            // The builds' artifacts as recorded, like the stacks' outputs: nothing built or applied.
            return phase == PhaseName.INFRASTRUCTURE || phase == PhaseName.BUILDS ? PhaseUse.READ : PhaseUse.SKIP;
        }

        @Override
        public Map<String, String> presetImages() {
            return images;
        }
    }

    public record Release(String stage, String previous, Map<String, String> images) implements Mode {
        @Override
        public String command() {
            return "release";
        }

        @Override
        public String headline() {
            return "Releasing to " + stage + ": ";
        }

        @Override
        public PhaseUse use(PhaseName phase) {
            // Builds run for the stage's stacks: a version built before (by the branch) is reused, not built again.
            return phase == PhaseName.INFRASTRUCTURE || phase == PhaseName.BUILDS ? PhaseUse.RUN : PhaseUse.SKIP;
        }

        @Override
        public String environment(BranchEnvironments.Target target) {
            return EnvironmentNames.releaseEnvironment(target.project(), stage);
        }

        @Override
        public RunFacts facts(RunFacts branch) {
            return branch.inRelease(stage, previous);
        }

        @Override
        public Map<String, String> presetImages() {
            return images;
        }

        @Override
        public EnvironmentKind kind(String branch) {
            return EnvironmentKind.RELEASE_STAGE;
        }

        @Override
        public boolean alwaysProtected() {
            return true;
        }
    }

    /**
     * One step of a deploy that someone else walks (the Jenkins {@code berth} variable runs each step as
     * its own durable {@code sh}): only the task {@code name} of {@code phase} runs, with the images and
     * outputs earlier steps recorded. The caller serializes deploys, so no environment lock is taken.
     */
    public record Step(PhaseName phase, String name, Optional<String> walk, Optional<Report> report,
            Optional<io.jenkins.plugins.berth.environments.BuildRecord> built) implements Mode {
        public Step {
            if (built.isPresent() && (report.isEmpty() || phase != PhaseName.BUILDS)) {
                throw new IllegalArgumentException("a build made elsewhere is reported as a builds step's outcome");
            }
            if (!PhaseName.STEPPABLE.contains(phase)) {
                throw new IllegalArgumentException("no phase '" + phase.key() + "': a step is in one of "
                        + String.join(", ", PhaseName.keys(PhaseName.STEPPABLE)));
            }
            if (report.isPresent() && walk.isEmpty()) {
                throw new IllegalArgumentException("a step's outcome is reported within a walk (--walk ID)");
            }
        }

        public Step(PhaseName phase, String name, Optional<String> walk, Optional<Report> report) {
            this(phase, name, walk, report, Optional.empty());
        }

        /** One step on its own, in no walk. */
        public Step(PhaseName phase, String name) {
            this(phase, name, Optional.empty(), Optional.empty());
        }

        /** This step as part of walk {@code id}: a step after an aborting failure of the walk is skipped. */
        public Step inWalk(String id) {
            return new Step(phase, name, Optional.of(id), report, built);
        }

        /** This step, run by the walker itself (a stage in a container image), with the outcome it had. */
        public Step reported(Report outcome) {
            return new Step(phase, name, walk, Optional.of(outcome), built);
        }

        /**
         * This builds step, run on another agent by {@code berth up --step} with a state folder of its own: the
         * build as that run recorded it, to record here (its artifacts, its outputs) and judge by the step's rules.
         */
        public Step builtElsewhere(io.jenkins.plugins.berth.environments.BuildRecord build) {
            Report outcome = build.succeeded() ? Report.SUCCEEDED : Report.FAILED;
            return new Step(phase, name, walk, Optional.of(outcome), Optional.of(build));
        }

        /** {@code infrastructure:network}. */
        public static Step parse(String text) {
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("a step is PHASE:NAME (infrastructure:network), not '" + text + "'");
            }
            String key = text.substring(0, colon);
            PhaseName phase = PhaseName.ofKey(key).filter(PhaseName.STEPPABLE::contains).orElseThrow(() ->
                    new IllegalArgumentException("no phase '" + key + "': a step is in one of "
                            + String.join(", ", PhaseName.keys(PhaseName.STEPPABLE))));
            return new Step(phase, text.substring(colon + 1));
        }

        @Override
        public String command() {
            return "step " + phase.key() + ":" + name;
        }

        @Override
        public String headline() {
            return "Step " + phase.key() + ":" + name + " of deploying ";
        }

        /** A step walks no phase: {@code Engine} runs only its task. */
        @Override
        public PhaseUse use(PhaseName phase) {
            return PhaseUse.SKIP;
        }

        @Override
        public boolean locks() {
            return false;
        }
    }

    public UpRequest(String branch, Optional<String> commit, String defaultProject, SecretSource secrets, int parallel,
            String who, String deployFile, Mode mode) {
        this(branch, commit, defaultProject, secrets, parallel, who, deployFile, mode, Optional.empty());
    }

    public UpRequest(String branch, Optional<String> commit, String defaultProject, SecretSource secrets, int parallel,
            String who, String deployFile) {
        this(branch, commit, defaultProject, secrets, parallel, who, deployFile, new Up());
    }

    public UpRequest(String branch, Optional<String> commit, String defaultProject, SecretSource secrets, int parallel,
            String who) {
        this(branch, commit, defaultProject, secrets, parallel, who, DEFAULT_DEPLOY_FILE);
    }

    /** A request from this process: {@code who} is the user, host and process id. */
    public UpRequest(String branch, Optional<String> commit, String defaultProject, SecretSource secrets, int parallel) {
        this(branch, commit, defaultProject, secrets, parallel, Who.thisProcess());
    }

    public UpRequest {
        if (branch.isBlank()) {
            throw new IllegalArgumentException("the branch must not be empty");
        }
        if (parallel < 1) {
            throw new IllegalArgumentException("parallel must be at least 1, not " + parallel);
        }
    }
}
