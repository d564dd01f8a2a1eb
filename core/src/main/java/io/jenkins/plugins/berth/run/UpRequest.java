package io.jenkins.plugins.berth.run;

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
     * images and the stacks' current outputs, nothing rebuilt or applied); or a release stage's deploy
     * (stacks applied for the stage's environment, stages with the promoted images and
     * {@code BERTH_STAGE}/{@code BERTH_PREVIOUS_STAGE}, nothing rebuilt).
     */
    public sealed interface Mode permits Up, Redeploy, Release, Step {
        /** The command name recorded with the run. */
        String command();
    }

    public record Up() implements Mode {
        @Override
        public String command() {
            return "up";
        }
    }

    /** @param images each image's digest-pinned reference, by image name */
    public record Redeploy(java.util.Map<String, String> images) implements Mode {
        @Override
        public String command() {
            return "redeploy";
        }
    }

    public record Release(String stage, String previous, java.util.Map<String, String> images) implements Mode {
        @Override
        public String command() {
            return "release";
        }
    }

    /**
     * One step of a deploy that someone else walks (the Jenkins {@code berth} variable runs each step as
     * its own durable {@code sh}): only the task {@code name} of {@code phase} runs, with the images and
     * outputs earlier steps recorded. The caller serializes deploys, so no environment lock is taken.
     */
    public record Step(String phase, String name) implements Mode {
        public static final java.util.List<String> PHASES = java.util.List.of("init_stages", "images", "infrastructure",
                "stages");

        public Step {
            if (!PHASES.contains(phase)) {
                throw new IllegalArgumentException("no phase '" + phase + "': a step is in one of "
                        + String.join(", ", PHASES));
            }
        }

        /** {@code infrastructure:network}. */
        public static Step parse(String text) {
            int colon = text.indexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new IllegalArgumentException("a step is PHASE:NAME (infrastructure:network), not '" + text + "'");
            }
            return new Step(text.substring(0, colon), text.substring(colon + 1));
        }

        @Override
        public String command() {
            return "step " + phase + ":" + name;
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
        this(branch, commit, defaultProject, secrets, parallel, thisProcess());
    }

    /**
     * Who runs this process, for locks and run records: the Jenkins build's URL inside a build
     * ({@code BUILD_URL}, which the Environments page links), else {@link #thisProcess()}.
     */
    public static String runBy() {
        String build = System.getenv("BUILD_URL");
        return build == null || build.isBlank() ? thisProcess() : build;
    }

    /** {@code user@host (pid N)}, naming the run that holds a lock. */
    public static String thisProcess() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return System.getProperty("user.name", "someone") + "@" + host + " (pid " + ProcessHandle.current().pid() + ")";
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
