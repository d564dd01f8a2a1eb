package io.jenkins.plugins.berth.dsl

/**
 * The {@code berth} variable: glue over Berth's steps, holding only the script (a CpsScript in Jenkins;
 * typed loosely so that JenkinsPipelineUnit can hand it a plain script in tests). Every method hands its
 * work to a step; user values travel as step arguments, never spliced into shell commands.
 */
class Berth implements Serializable {
    private static final long serialVersionUID = 1L

    private final def script

    Berth(script) {
        this.script = script
    }

    /**
     * The plan of a deploy of this build's branch: {@code berth.plan()}, or
     * {@code berth.plan(branch: 'main', file: 'deploy/berth.yml', commit: sha)}.
     */
    Map plan(Map args = [:]) {
        script.berthPlan(arguments(args))
    }

    /** The environment a deploy of this build's branch uses: {@code berth.environmentName()}. */
    String environmentName(Map args = [:]) {
        plan(args).environment.name
    }

    /** The step arguments: the branch and commit of the build unless given, and the file when given. */
    @com.cloudbees.groovy.cps.NonCPS
    private Map arguments(Map args) {
        Map result = [branch: args.branch ?: script.env.BRANCH_NAME]
        if (!result.branch) {
            throw new IllegalArgumentException('berth: no branch: run in a multibranch job, or pass branch: ...')
        }
        String commit = args.commit ?: script.env.GIT_COMMIT
        if (commit) {
            result.commit = commit
        }
        if (args.file) {
            result.file = args.file
        }
        return result
    }
}
