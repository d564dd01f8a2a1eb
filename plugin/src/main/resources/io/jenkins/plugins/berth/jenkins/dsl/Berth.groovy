package io.jenkins.plugins.berth.jenkins.dsl

/**
 * The {@code berth} variable: walks a deploy's plan with Pipeline steps. It holds only the script (a
 * CpsScript in Jenkins; typed loosely so that JenkinsPipelineUnit can hand it a plain script in tests).
 *
 * <p>Values from the deploy file reach steps only as data: stage names as {@code stage} arguments,
 * values through {@code withEnv}, and every command line this class writes is a constant that reads
 * them as quoted shell variables. A stage's own {@code run} is the one shell text that runs, because
 * the deploy file says so. Loops use indexes (CPS keeps no iterator across steps).
 */
class Berth implements Serializable {
    private static final long serialVersionUID = 1L

    /** Runs the Berth runner (the berth command line) the environment block put in the workspace. */
    /** The runner jar, started by its launcher (a quick start: berthEnvironment's berth-runner.sh). */
    private static final String RUNNER = 'sh "$BERTH_RUNNER_SH"'
    private static final List<String> DEPLOY_PHASES = ['init_stages', 'images', 'builds', 'infrastructure', 'stages']
    /**
     * One step of a walked deploy: the runner decides from the environment's record whether it runs. It runs the deploy
     * file as berthPlan validated it (the plan in the workspace), only when the plan's digest is the one this program
     * keeps: a stage that rewrites the plan or the deploy file makes the later steps refuse to run.
     */
    private static final String UP_STEP = ' up "$BERTH_FILE" --branch "$BERTH_RUN_BRANCH" --commit "$BERTH_RUN_COMMIT"' +
            ' --state "$BERTH_STATE" --secrets-from-env --step "$BERTH_STEP" --walk "$BERTH_WALK"' +
            ' --default-ttl "$BERTH_DEFAULT_TTL" --default-project "$BERTH_DEFAULT_PROJECT"' +
            ' --plan "$BERTH_PLAN" --plan-digest "$BERTH_PLAN_DIGEST"'
    /**
     * The folder berthEnvironment puts the runner in (its jar, named by its digest, and its launcher), as a path in the
     * workspace: stashed for a build's own agent, where BERTH_RUNNER names the folder and the launcher finds the jar.
     */
    private static final String RUNNER_FOLDER = '.berth/runner'
    private static final String RUNNER_FILES = RUNNER_FOLDER + '/berth-runner-*.jar,' + RUNNER_FOLDER + '/berth-runner.sh'
    /** The workspace's state folder (berthEnvironment's default): the builds of the deploy's node work in it. */
    private static final String STATE_FOLDER = '.berth/state'
    /** A build on its own agent runs with a state folder of its own there: the environment's record stays here. */
    private static final String AGENT_STATE = '.berth/build-state'
    /** What of a build's work folders is archived: the files it made, not the template, the variables or caches. */
    private static final String BUILD_ARCHIVE_EXCLUDES = '**/*.pkr.hcl,**/*.pkr.json,**/berth.auto.pkrvars.json,' +
            '**/cache/**,**/plugins/**,**/config/**'
    /** The runner's exit codes for a step it skipped (an earlier failure stopped the deploy) or let go on. */
    private static final int STEP_SKIPPED = 3
    private static final int STEP_CONTINUED = 4
    /** An empty value removes a variable: a stage in its image never gets the state server's token or address. */
    private static final List<String> WITHOUT_STATE_CREDENTIALS = ['TF_HTTP_PASSWORD=', 'BERTH_STATE_URL=']

    private final def script
    /** What this build's change may use, once said and (where the folder wants it) approved. */
    private Map access

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

    /**
     * Deploys this build's branch: init stages, images, builds, infrastructure, stages, in the workspace of the
     * current node (call it inside {@code node { checkout scm; ... }}). Independent steps run in
     * {@code parallel}; a failed step with {@code on_failure: continue} marks the stage failed and the
     * build unstable; any other failure skips the rest but {@code always} stages, then fails the build.
     */
    void deploy(Map args = [:]) {
        deployPlanned(plan(args))
    }

    private void deployPlanned(Map plan) {
        askForBuildArgs(plan)
        inEnvironment(plan, trustedKeptFiles(plan)) { Map defaults ->
            Map run = [failure: null, defaults: defaults, walk: plan.walk]
            for (int p = 0; p < plan.phases.size(); p++) {
                Map phase = plan.phases[p]
                if (DEPLOY_PHASES.contains(phase.name)) {
                    runPhase(plan, phase, run)
                }
            }
            if (run.failure != null) {
                script.error('berth: the deploy failed at ' + run.failure + '; the steps after it were skipped but always ones')
            }
        }
    }

    /**
     * The first build of an environment whose Dockerfiles need build arguments the deploy file does not give
     * ({@code berthPlan}'s {@code missingBuildArgs}): asks for them with {@code input}, one string parameter each,
     * instead of failing, and goes on with the answer. {@code berthBuildArgs} notes the wait (the Environments page
     * says "needs build arguments"), checks the answer and remembers it for the environment's later builds.
     */
    private void askForBuildArgs(Map plan) {
        List missing = plan.missingBuildArgs ?: []
        if (missing.isEmpty()) {
            return
        }
        List names = []
        List parameters = []
        for (int i = 0; i < missing.size(); i++) {
            names.add(missing[i].parameter)
            parameters.add(script.string(name: missing[i].parameter, defaultValue: '', trim: true,
                    description: missing[i].description))
        }
        Map target = [project: plan.project, environment: plan.environment.name, parameters: names]
        script.berthBuildArgs(target + [waiting: true])
        def answer
        try {
            answer = script.input(message: 'Build arguments for environment ' + plan.environment.name
                    + ' (no secrets: they stay in the image)', ok: 'Build', parameters: parameters)
        } catch (InterruptedException stopped) {
            script.berthBuildArgs(target + [waiting: false])
            throw stopped
        }
        Map given = script.berthBuildArgs(target + [values: answerLines(names, answer)])
        plan.buildArgs = given.environment
    }

    /** The input's answer as {@code image.NAME=value} lines: a map, or the bare value when it asked one thing. */
    @com.cloudbees.groovy.cps.NonCPS
    private static List answerLines(List names, answer) {
        Map values = names.size() == 1 ? [(names[0]): answer] : answer
        return names.collect { name -> name + '=' + (values[name] == null ? '' : values[name]) }
    }

    /**
     * A "by berth.yml" branch job: reads the deploy file with {@code readTrusted} (from the trusted revision;
     * the build aborts if an untrusted change such as a fork's pull request edits it), checks out the branch,
     * refuses a checkout whose deploy file differs from the trusted one, then deploys.
     */
    void branchJob(Map args) {
        String trusted = script.readTrusted(args.file)
        // Before node: an approval waits for a person, holding no executor.
        access()
        String label = script.berthDefaults().agentLabel
        Map waiting = null
        script.node(label) {
            Map plan = trustedPlan(args.file, trusted)
            // Scheduled because the folder's settings changed: the deploy-only job, as berth redeploy runs it.
            if (plan.settingsRedeploy) {
                redeployPlanned(plan)
            } else if (plan.missingBuildArgs) {
                waiting = plan
            } else {
                deployPlanned(plan)
            }
        }
        if (waiting != null) {
            // The first build of an environment lacks build arguments: asked with no executor held (a person may
            // take a while), then planned again, which finds the answer remembered, and deployed.
            askForBuildArgs(waiting)
            script.node(label) {
                deployPlanned(trustedPlan(args.file, trusted))
            }
        }
    }

    /** The plan of a checkout of this build's revision whose deploy file is the trusted one; else the build fails. */
    private Map trustedPlan(String file, String trusted) {
        script.checkout(script.scm)
        if (script.readFile(file) != trusted) {
            script.error('berth: ' + file + ' in the checkout differs from the trusted revision\'s;'
                    + ' a maintainer must make the change on a trusted branch')
        }
        return plan(file: file)
    }

    /**
     * The teardown job: destroys one environment from the deploy file and stacks kept at its last deploy
     * (the branch may be gone, so nothing is checked out), with the folder's defaults and the credentials
     * the kept deploy file names bound. {@code skipStages: true, reason: '...'} skips the teardown stages
     * ({@code berth down --skip-stages --reason}, which checks the reason).
     */
    void teardownKept(Map args) {
        if (!args.project || !args.environment) {
            throw new IllegalArgumentException('berth: teardownKept needs project: and environment:')
        }
        Map defaults = script.berthDefaults(project: args.project, environment: args.environment)
        script.node(defaults.agentLabel) {
            script.berthEnvironment(environment: args.environment, project: args.project) {
                List bindings = bindings(defaults.cloudCredentials
                        + script.berthKeptCredentials(environment: args.environment, project: args.project))
                script.withCredentials(bindings) {
                    script.stage('teardown ' + args.environment) {
                        // down removes the environment's images: the folder's registry login
                        runner(defaults, ['BERTH_RUN_ENV=' + args.environment, 'BERTH_RUN_REASON=' + (args.reason ?: '')],
                                ' down --state "$BERTH_STATE" --env "$BERTH_RUN_ENV" --secrets-from-env'
                                + skipOptions(args), [:])
                    }
                }
            }
        }
    }

    /** Runs the stages and publish again with the environment's last images and outputs; nothing built or applied. */
    void redeploy(Map args = [:]) {
        redeployPlanned(plan(args))
    }

    private void redeployPlanned(Map plan) {
        inEnvironment(plan) { Map defaults ->
            script.stage('redeploy ' + plan.environment.name) {
                runner(defaults, ['BERTH_FILE=' + plan.file, 'BERTH_RUN_ENV=' + plan.environment.name],
                        ' redeploy "$BERTH_FILE" --env "$BERTH_RUN_ENV" --state "$BERTH_STATE" --secrets-from-env'
                        + ' --default-ttl "$BERTH_DEFAULT_TTL" --default-project "$BERTH_DEFAULT_PROJECT"', null)
            }
        }
    }

    /**
     * {@code berth.promote('staging', from: 'shop-main')}: Groovy hands named arguments over first, as a map, so
     * that call arrives here.
     */
    void promote(Map args, String stageName) {
        promote(stageName, args)
    }

    /**
     * Promotes the images to a release stage and deploys it, asking for approval first when the stage
     * says {@code approval: true}: {@code berth.promote('prod')}. The first stage gets what the release branch's
     * environment runs, by digest: call it from the release branch's build (its environment's record is in the
     * workspace), or name the environment, {@code berth.promote('staging', from: 'shop-main')}, whose record the
     * environment block then brings (and whose deploys it waits for). A stage that keeps its images in another
     * registry ({@code release[].registry}) gets that registry's login from a Username with password credential:
     * {@code berth.promote('prod', registryCredentialsId: 'prod-registry')}.
     */
    void promote(String stageName, Map args = [:]) {
        if (script.env.NODE_NAME) {
            // Inside the caller's node: the workspace is here, and an approval waits holding its executor.
            Map plan = plan(args)
            approve(plan, stageName)
            promoteIn(plan, stageName, args.from, args.registryCredentialsId)
            return
        }
        // Outside any node: plan and promote each on a node of the folder's label, and wait for an approval
        // in between, so that no executor waits for a person.
        String label = script.berthDefaults().agentLabel
        Map planned = null
        script.node(label) {
            script.checkout(script.scm)
            planned = plan(args)
        }
        approve(planned, stageName)
        script.node(label) {
            script.checkout(script.scm)
            promoteIn(planned, stageName, args.from, args.registryCredentialsId)
        }
    }

    /** Refuses a stage the file does not have; asks for the approval a stage with {@code approval: true} wants. */
    private void approve(Map plan, String stageName) {
        Map release = step(plan, 'release', stageName)
        if (release == null) {
            throw new IllegalArgumentException('berth: the deploy file has no release stage ' + stageName)
        }
        if (release.settings.approval) {
            script.input(message: 'Promote ' + plan.project + ' to ' + stageName + '?', ok: 'Promote')
        }
    }

    /**
     * {@code from}: the environment the first stage promotes from, or null for the release branch's;
     * {@code registryCredentialsId}: the login of the stage's own registry (the plan names it), or null.
     */
    private void promoteIn(Map plan, String stageName, String from, String registryCredentialsId) {
        List environment = ['BERTH_FILE=' + plan.file, 'BERTH_RUN_STAGE=' + stageName]
        if (from) {
            environment << ('BERTH_RUN_FROM=' + from)
        }
        // The stage's own login only for a build trusted with credentials: the stage's registry comes from the
        // workspace's deploy file, which an untrusted change may have pointed elsewhere.
        Map logins = registryCredentialsId ? [credentialsId: registryCredentialsId,
                registry: step(plan, 'release', stageName).settings.registry] : [:]
        inEnvironment(plan, [:], from ?: plan.environment.name) { Map defaults ->
            if (logins.credentialsId && !defaults.credentials) {
                script.error('berth: this build is not trusted with credentials, so it gets no login for the registry'
                        + ' of release stage ' + stageName)
            }
            script.stage('promote to ' + stageName) {
                runner(defaults, environment,
                        ' promote "$BERTH_FILE" --to "$BERTH_RUN_STAGE" --yes --state "$BERTH_STATE" --secrets-from-env'
                        + ' --default-project "$BERTH_DEFAULT_PROJECT"' + (from ? ' --from "$BERTH_RUN_FROM"' : ''),
                        false, logins)
            }
        }
    }

    /**
     * Tears this branch's environment down: teardown stages, stacks destroyed, its images removed;
     * {@code skipStages: true, reason: '...'} skips the teardown stages.
     */
    void teardown(Map args = [:]) {
        Map plan = plan(args)
        inEnvironment(plan) { Map defaults ->
            script.stage('teardown ' + plan.environment.name) {
                runner(defaults, ['BERTH_RUN_ENV=' + plan.environment.name, 'BERTH_RUN_REASON=' + (args.reason ?: '')],
                        ' down --state "$BERTH_STATE" --env "$BERTH_RUN_ENV" --secrets-from-env' + skipOptions(args), [:])
            }
        }
    }

    /**
     * The options of {@code down} for {@code skipStages:} and {@code reason:}: the reason reaches the runner as
     * {@code BERTH_RUN_REASON}, never in the command; a reason without a skip is passed too, for the runner to refuse.
     */
    @com.cloudbees.groovy.cps.NonCPS
    private static String skipOptions(Map args) {
        return (args.skipStages ? ' --skip-stages' : '') + (args.reason ? ' --reason "$BERTH_RUN_REASON"' : '')
    }

    /**
     * Says in the log what this build's change may use (the controller decides: {@code berthAccess}) and, where
     * the folder wants an approval for an untrusted change, asks for one naming the change until a user with
     * Berth/Approve gives it ({@code berthApprove} checks the permission; anyone else's approval does not count).
     */
    private Map access() {
        if (access != null) {
            return access
        }
        Map said = script.berthAccess()
        script.echo('berth: ' + said.summary)
        while (said.waitsForApproval) {
            String approver = script.input(message: 'Deploy ' + said.change + ' with its credentials?',
                    ok: 'Deploy', submitterParameter: 'approver')
            if (script.berthApprove(approver: approver)) {
                said = script.berthAccess()
                script.echo('berth: ' + said.summary)
            }
        }
        access = said
        return access
    }

    /**
     * The files a teardown of this deploy needs, read with {@code readTrusted} from the trusted revision (never
     * from the workspace, where stage code runs), by their path in the kept folder; the controller keeps them.
     * Outside a multibranch build nothing is kept on the controller, so nothing is read.
     */
    private Map trustedKeptFiles(Map plan) {
        Map files = [:]
        if (!script.env.BRANCH_NAME) {
            return files
        }
        List keptFiles = plan.kept ?: []
        for (int i = 0; i < keptFiles.size(); i++) {
            Map kept = keptFiles[i]
            files[kept.path] = script.readTrusted(kept.repositoryPath)
        }
        return files
    }

    private void inEnvironment(Map plan, Closure body) {
        inEnvironment(plan, [:], body)
    }

    /**
     * The environment block, with the folder's defaults applied and its cloud credentials and the deploy
     * file's credentials bound (and masked) for the runner; the body is given the defaults. {@code kept}: the
     * trusted files the controller keeps for the teardown (none: it keeps those of the last deploy).
     */
    private void inEnvironment(Map plan, Map kept, Closure body) {
        inEnvironment(plan, kept, plan.environment.name, body)
    }

    /** As above, in the block of {@code environment} (a promotion's source), not the plan's. */
    private void inEnvironment(Map plan, Map kept, String environment, Closure body) {
        access()
        Map defaults = script.berthDefaults(project: plan.project)
        List bindings = bindings(defaults.cloudCredentials + (plan.credentials ?: []))
        script.berthEnvironment(environment: environment, project: plan.project, kept: kept) {
            script.withCredentials(bindings) {
                // The project as the plan named it: the runner's own default would be the workspace folder's
                // name, which differs per branch.
                // The build arguments asked for or remembered (BERTH_BUILD_ARGS), for the runner and berth's steps.
                script.withEnv(['BERTH_RUN_BRANCH=' + plan.branch, 'BERTH_RUN_COMMIT=' + (plan.commit ?: ''),
                        'BERTH_DEFAULT_TTL=' + defaults.ttl, 'BERTH_DEFAULT_PROJECT=' + plan.project]
                        + (plan.buildArgs ?: [])) {
                    body(defaults)
                }
            }
        }
    }

    /**
     * The runner's command: {@code sh} of the berth command line with {@code arguments}. {@code logins}: null for a
     * command that speaks to no registry (it gets no registry login: stages, stacks, redeploy), else the registry
     * logins to bind, {@code [:]} for the folder's alone, or with a release stage's ({@code credentialsId},
     * {@code registry}). A stage's {@code docker.image(..).inside} runs without any.
     */
    private void runner(Map defaults, List environment, String arguments, Map logins) {
        runner(defaults, environment, arguments, false, logins)
    }

    /** With {@code status}, the exit code is returned (a step's outcome), else a non-zero one fails the sh. */
    private int runner(Map defaults, List environment, String arguments, boolean status, Map logins) {
        int code = 0
        Closure command = {
            script.withEnv(environment) {
                if (status) {
                    code = script.sh(script: RUNNER + arguments, returnStatus: true)
                } else {
                    script.sh(RUNNER + arguments)
                }
            }
        }
        if (logins == null) {
            command()
        } else {
            withRegistryLogins(defaults, logins.credentialsId ? logins : null, command)
        }
        return code
    }

    /**
     * The folder's registry login around a body, when the folder names the registry and its credentials: bound with
     * the Credentials Binding plugin as {@code BERTH_REGISTRY_USERNAME} and {@code BERTH_REGISTRY_PASSWORD} (masked),
     * with {@code BERTH_REGISTRY_HOST}; a release stage's own as {@code BERTH_RELEASE_REGISTRY_*}. The runner uses them
     * for its pushes, promotions and image removal, and hands the builder a private login file: no password in a
     * command line, no {@code docker login}, no docker CLI needed. Which host a login is for is the runner's rule.
     */
    private void withRegistryLogins(Map defaults, Map release, Closure body) {
        List bindings = []
        List hosts = []
        if (defaults.registryHost && defaults.registryCredentialsId) {
            bindings.add(script.usernamePassword(credentialsId: defaults.registryCredentialsId,
                    usernameVariable: 'BERTH_REGISTRY_USERNAME', passwordVariable: 'BERTH_REGISTRY_PASSWORD'))
            hosts.add('BERTH_REGISTRY_HOST=' + defaults.registryHost)
        }
        if (release != null && release.credentialsId) {
            bindings.add(script.usernamePassword(credentialsId: release.credentialsId,
                    usernameVariable: 'BERTH_RELEASE_REGISTRY_USERNAME',
                    passwordVariable: 'BERTH_RELEASE_REGISTRY_PASSWORD'))
            // Empty when the stage keeps its images in the file's registry: the runner says so.
            hosts.add('BERTH_RELEASE_REGISTRY_HOST=' + (release.registry ?: ''))
        }
        if (bindings.isEmpty()) {
            body()
            return
        }
        script.withCredentials(bindings) {
            script.withEnv(hosts) {
                body()
            }
        }
    }

    /** One phase: its groups one after the other, the steps of a group in parallel. */
    private void runPhase(Map plan, Map phase, Map run) {
        for (int g = 0; g < phase.groups.size(); g++) {
            List group = phase.groups[g]
            if (group.size() == 1) {
                runStep(plan, phase.name, group[0], run)
            } else {
                Map branches = [:]
                for (int s = 0; s < group.size(); s++) {
                    Map step = group[s]
                    branches[step.name] = { runStep(plan, phase.name, step, run) }
                }
                script.parallel(branches)
            }
        }
    }

    /**
     * One step as a stage. The runner owns the failure rules: its exit code says what happened, and this maps
     * it to the stage's result: 0 ran, 3 skipped (an earlier failure stopped the deploy; always steps still
     * run), 4 failed with on_failure: continue (stage failed, build unstable), anything else failed the deploy.
     */
    private void runStep(Map plan, String phaseName, Map step, Map run) {
        script.stage(step.name) {
            int code = runWork(plan, phaseName, step, run)
            if (code == STEP_SKIPPED) {
                script.echo('berth: skipped, an earlier step failed')
            } else if (code == STEP_CONTINUED) {
                script.catchError(buildResult: 'UNSTABLE', stageResult: 'FAILURE') {
                    script.error('berth: ' + step.name + ' failed; on_failure: continue, so the deploy goes on')
                }
            } else if (code != 0) {
                if (run.failure == null) {
                    run.failure = step.name
                }
                script.catchError(buildResult: 'FAILURE', stageResult: 'FAILURE') {
                    script.error('berth: ' + step.name + ' failed; the rest is skipped but always stages')
                }
            }
        }
    }

    /**
     * A stage with an image runs as {@code sh} inside it; a build with an agent of its own on that agent; everything
     * else through the runner. The exit code.
     */
    private int runWork(Map plan, String phaseName, Map step, Map run) {
        if (step.kind == 'stage' && step.settings.image) {
            return imageStage(plan, phaseName, step, run)
        }
        if (step.kind == 'build') {
            return buildStep(plan, phaseName, step, run)
        }
        if (step.kind == 'stage' && step.settings.deploy && step.settings.deploy.approval) {
            return gatedDeploy(plan, phaseName, step, run)
        }
        return runnerStep(plan, phaseName, step, run, '')
    }

    /**
     * A blue-green deploy with {@code approval:}: the runner deploys the new colour and stops at the gate
     * ({@code --approval wait}), {@code input} asks (within the gate's timeout, then its default; Abort rejects),
     * and the runner goes on with the decision: the switch, or the new colour stopped. The exit code of the last.
     */
    private int gatedDeploy(Map plan, String phaseName, Map step, Map run) {
        int code = runnerStep(plan, phaseName, step, run, ' --approval wait')
        if (code != 0) {
            return code
        }
        Map gate = step.settings.deploy.approval
        // Only these two words reach the command line.
        String decision = 'approve'
        String fallback = gate['default'] == 'approve' ? 'approve' : 'reject'
        Closure ask = {
            script.input(message: 'Switch ' + plan.environment.name + ' to the new version of ' + step.name + '?',
                    ok: 'Switch')
        }
        try {
            if (gate.timeout_seconds) {
                script.timeout(time: gate.timeout_seconds, unit: 'SECONDS') { ask() }
            } else {
                ask()
            }
        } catch (InterruptedException stopped) {
            decision = timedOut(stopped) ? fallback : 'reject'
            script.echo('berth: ' + step.name + ': ' + (timedOut(stopped) ? 'no answer within ' + gate.timeout_seconds
                    + 's, so the default: ' + decision : 'rejected at the approval gate'))
        }
        return runnerStep(plan, phaseName, step, run, ' --approval ' + decision)
    }

    private int runnerStep(Map plan, String phaseName, Map step, Map run, String more) {
        return runnerStep(plan, phaseName, step, run, [], more)
    }

    private int runnerStep(Map plan, String phaseName, Map step, Map run, List environment, String more) {
        // Only an image step pushes: no other step's commands run with a registry login bound.
        return runner(run.defaults, ['BERTH_FILE=' + plan.file, 'BERTH_STEP=' + phaseName + ':' + step.name,
                'BERTH_WALK=' + run.walk] + planned(plan) + environment, UP_STEP + more, true,
                phaseName == 'images' ? [:] : null)
    }

    /** The plan berthPlan wrote in the workspace and its digest, which this program keeps (not a secret). */
    @com.cloudbees.groovy.cps.NonCPS
    private static List planned(Map plan) {
        return ['BERTH_PLAN=' + plan.planFile, 'BERTH_PLAN_DIGEST=' + plan.planDigest]
    }

    /**
     * A Packer build. Without an agent of its own it runs through the runner here, like a stack. With one, in
     * {@code node(agent)}: the checkout of this revision, the runner jar unstashed from here, {@code berth up --step}
     * with a state folder of its own (no state credentials), its files and record archived and the record stashed
     * back; then the runner here records the build ({@code --report-build}), publishes its outputs and judges it.
     */
    private int buildStep(Map plan, String phaseName, Map step, Map run) {
        if (!step.settings.agent) {
            int code = runnerStep(plan, phaseName, step, run, '')
            script.archiveArtifacts(artifacts: STATE_FOLDER + '/builds/**', excludes: BUILD_ARCHIVE_EXCLUDES,
                    allowEmptyArchive: true, fingerprint: true)
            return code
        }
        String stash = stashName(step.name)
        // Parallel builds each bring their record back under a name of their own.
        String report = AGENT_STATE + '/reports/' + stash + '.json'
        // The plan goes with the runner: the step there runs it under the same digest.
        script.stash(name: stash + '-runner', includes: RUNNER_FILES + ',' + plan.planFile)
        script.node(step.settings.agent) {
            script.checkout(script.scm)
            script.unstash(stash + '-runner')
            String here = script.pwd()
            script.withEnv(WITHOUT_STATE_CREDENTIALS + ['BERTH_RUNNER=' + here + '/' + RUNNER_FOLDER,
                    'BERTH_RUNNER_SH=' + here + '/' + RUNNER_FOLDER + '/berth-runner.sh',
                    'BERTH_STATE=' + here + '/' + AGENT_STATE, 'BERTH_FILE=' + plan.file,
                    'BERTH_STEP=' + phaseName + ':' + step.name, 'BERTH_WALK=' + run.walk] + planned(plan) + [
                    'BERTH_AGENT_RECORD=' + AGENT_STATE + '/' + plan.environment.name + '.json',
                    'BERTH_BUILD_RECORD=' + report]) {
                script.sh('rm -f -- "$BERTH_BUILD_RECORD"')
                // The step as every other, with the agent's own state folder: the record there names this walk, and a
                // version built there before, whose files are still there, is reused. The runner here judges it.
                script.sh(script: RUNNER + UP_STEP, returnStatus: true)
                script.sh('mkdir -p -- "${BERTH_BUILD_RECORD%/*}" && if [ -f "$BERTH_AGENT_RECORD" ];'
                        + ' then cp -- "$BERTH_AGENT_RECORD" "$BERTH_BUILD_RECORD"; fi')
            }
            script.archiveArtifacts(artifacts: AGENT_STATE + '/builds/**,' + report, excludes: BUILD_ARCHIVE_EXCLUDES,
                    allowEmptyArchive: true, fingerprint: true)
            script.stash(name: stash + '-record', includes: report, allowEmpty: true)
        }
        script.unstash(stash + '-record')
        return runnerStep(plan, phaseName, step, run, ['BERTH_BUILD_RECORD=' + report],
                ' --report-build "$BERTH_BUILD_RECORD"')
    }

    /** A stash name for a build step ({@code app/file.a}): letters, digits, '-', '_' and '.'. */
    @com.cloudbees.groovy.cps.NonCPS
    private static String stashName(String step) {
        return 'berth-build-' + step.replaceAll('[^A-Za-z0-9_.-]', '_')
    }

    /**
     * A stage in its container image: the runner (through berthStageVariables, which reads the record) says
     * whether it runs, the sh runs here, and the runner records the outcome and judges it by the stage's rules.
     */
    private int imageStage(Map plan, String phaseName, Map step, Map run) {
        Map variables = script.berthStageVariables(stage: step.name, phase: phaseName, branch: plan.branch,
                commit: plan.commit ?: '', file: plan.file, walk: run.walk, plan: plan.planFile,
                planDigest: plan.planDigest)
        if (variables.skip) {
            return STEP_SKIPPED
        }
        List bindings = bindings(variables.secrets)
        Closure work = {
            script.docker.image(step.settings.image).inside {
                script.withCredentials(bindings) {
                    script.withEnv(WITHOUT_STATE_CREDENTIALS + variables.environment) {
                        if (step.settings.script) {
                            script.withEnv(['BERTH_SCRIPT=' + step.settings.script]) {
                                script.sh('bash "$BERTH_SCRIPT"')
                            }
                        } else {
                            script.sh(step.settings.run)
                        }
                    }
                }
            }
        }
        Closure bounded = work
        if (step.settings.timeout_seconds) {
            // The stage's timeout:, which the runner enforces on the stages it runs itself.
            bounded = { script.timeout(time: step.settings.timeout_seconds, unit: 'SECONDS') { work() } }
        }
        String outcome = 'succeeded'
        try {
            if (step.settings.agent) {
                script.node(step.settings.agent) {
                    script.checkout(script.scm)
                    bounded()
                }
            } else {
                bounded()
            }
        } catch (InterruptedException abort) {
            if (!timedOut(abort)) {
                // A user abort (FlowInterruptedException) stops the deploy: nothing more runs.
                throw abort
            }
            script.echo('berth: ' + step.name + ': timed out after its timeout of ' + step.settings.timeout_seconds
                    + 's, so it was stopped')
            outcome = 'failed'
        } catch (Exception failure) {
            script.echo('berth: ' + step.name + ': ' + failure.message)
            outcome = 'failed'
        }
        return runnerStep(plan, phaseName, step, run, ' --report ' + outcome)
    }

    /**
     * Bindings for {@code withCredentials} from the steps' maps of {@code credentialsId} and {@code variable}:
     * {@code string(...)}, or as a folder's cloud credential's {@code kind} says, {@code aws(...)} (the AWS
     * key variables) or {@code file(...)}.
     */
    private List bindings(List credentials) {
        List bindings = []
        for (int i = 0; i < credentials.size(); i++) {
            Map credential = credentials[i]
            if (credential.kind == 'aws') {
                bindings.add(script.aws(credentialsId: credential.credentialsId,
                        accessKeyVariable: 'AWS_ACCESS_KEY_ID', secretKeyVariable: 'AWS_SECRET_ACCESS_KEY'))
            } else if (credential.kind == 'file') {
                bindings.add(script.file(credentialsId: credential.credentialsId, variable: credential.variable))
            } else {
                bindings.add(script.string(credentialsId: credential.credentialsId, variable: credential.variable))
            }
        }
        return bindings
    }

    /** Whether the timeout step stopped the body (its cause ExceededTimeout), not a user's abort. */
    @com.cloudbees.groovy.cps.NonCPS
    private static boolean timedOut(InterruptedException interruption) {
        if (!interruption.metaClass.respondsTo(interruption, 'getCauses')) {
            return false
        }
        return interruption.getCauses().any { cause -> cause.getClass().name.endsWith('$ExceededTimeout') }
    }

    @com.cloudbees.groovy.cps.NonCPS
    private static Map step(Map plan, String phaseName, String name) {
        for (Map phase : plan.phases) {
            if (phase.name == phaseName) {
                for (List group : phase.groups) {
                    for (Map candidate : group) {
                        if (candidate.name == name) {
                            return candidate
                        }
                    }
                }
            }
        }
        return null
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
