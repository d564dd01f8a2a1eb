package io.jenkins.plugins.berth.jenkins.jobs;

import hudson.security.ACL;
import hudson.security.ACLContext;
import hudson.model.BooleanParameterValue;
import hudson.model.CauseAction;
import hudson.model.Item;
import hudson.model.ItemGroup;
import hudson.model.ParametersAction;
import hudson.model.StringParameterValue;
import hudson.model.TopLevelItem;
import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import io.jenkins.plugins.berth.environments.EnvironmentSummary;
import io.jenkins.plugins.berth.environments.Reaper;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.teardown.SkipStages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.branch.Branch;
import jenkins.branch.BranchProjectFactory;
import jenkins.model.ModifiableTopLevelItemGroup;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;

/**
 * Teardowns run as builds of one teardown job per Berth folder, so each has a log and can be run again.
 * The job sits beside the folder (a multibranch folder adds no children of its own) and destroys an
 * environment from the files kept at its last deploy, never from the branch, which may be gone.
 * Which environments are due is {@link Reaper}'s decision, given the folder's live branches.
 */
public final class TeardownJobs {

    private static final Logger LOGGER = Logger.getLogger(TeardownJobs.class.getName());

    static final String PROJECT_PARAMETER = "BERTH_PROJECT";
    static final String ENVIRONMENT_PARAMETER = "BERTH_ENVIRONMENT";
    static final String SKIP_STAGES_PARAMETER = "BERTH_SKIP_STAGES";
    static final String SKIP_REASON_PARAMETER = "BERTH_SKIP_REASON";

    private TeardownJobs() {}

    /**
     * Called when a branch job is marked dead or deleted: reaps its folder, whose live branches no longer
     * include the job's (errors are logged, not thrown).
     */
    public static void branchGone(WorkflowJob job, String why) {
        if (job.getParent() instanceof WorkflowMultiBranchProject folder && isBerth(folder)) {
            try {
                reap(folder, why);
            } catch (IOException | StateException e) {
                LOGGER.log(Level.WARNING, "Berth: could not schedule the teardown after " + why, e);
            }
        }
    }

    /** True when {@code job} is a branch job whose branch indexing found gone (and so was torn down then). */
    static boolean markedDead(WorkflowJob job) {
        return job.getParent() instanceof WorkflowMultiBranchProject folder && folder.getProjectFactory().isProject(job)
                && folder.getProjectFactory().getBranch(job) instanceof Branch.Dead;
    }

    /** True when the folder's branch jobs are built "by berth.yml". */
    public static boolean isBerth(WorkflowMultiBranchProject folder) {
        return folder.getProjectFactory() instanceof DeploysEnvironments;
    }

    /** Schedules a teardown build for each of the folder's environments that is due; returns their names. */
    public static List<String> reap(WorkflowMultiBranchProject folder, String why) throws IOException, StateException {
        // The projects' records indexes: reaping needs no whole record.
        StateStore.Summaries all = StateStore.Summaries.of(BerthStates.get().projectsOf(folder.getFullName()));
        // A bad record is left out, and the others reaped: one file must not keep every environment up.
        all.unreadable().forEach(u -> LOGGER.warning("Berth: reaping " + folder.getFullName() + " skips " + u.message()));
        List<EnvironmentSummary> records = all.readable();
        List<String> scheduled = new ArrayList<>();
        for (Reaper.Decision decision : Reaper.decide(records, Optional.of(liveBranches(folder)), Instant.now())) {
            if (decision.reap()) {
                EnvironmentSummary environment = decision.environment();
                schedule(folder, environment.project(), environment.name(), why + ": " + decision.reason());
                scheduled.add(environment.name());
            }
        }
        return scheduled;
    }

    /** Queues one teardown that runs the teardown stages; the queue folds it into an identical one still waiting. */
    public static void schedule(WorkflowMultiBranchProject folder, String project, String environment, String why)
            throws IOException {
        schedule(folder, project, environment, why, Optional.empty());
    }

    /**
     * Queues one teardown, skipping the teardown stages when {@code skip} says so; the queue folds it into an
     * identical one still waiting.
     */
    public static void schedule(WorkflowMultiBranchProject folder, String project, String environment, String why,
            Optional<SkipStages> skip) throws IOException {
        teardownJob(folder).scheduleBuild2(0,
                new ParametersAction(new StringParameterValue(PROJECT_PARAMETER, project),
                        new StringParameterValue(ENVIRONMENT_PARAMETER, environment),
                        new BooleanParameterValue(SKIP_STAGES_PARAMETER, skip.isPresent()),
                        new StringParameterValue(SKIP_REASON_PARAMETER, skip.map(SkipStages::reason).orElse(""))),
                new CauseAction(new TeardownCause(why)));
    }

    /** The branches that still have a live job in the folder. */
    public static Set<String> liveBranches(WorkflowMultiBranchProject folder) {
        return liveJobs(folder).keySet();
    }

    /** The live job of a branch in the folder, if it has one. */
    public static Optional<WorkflowJob> branchJob(WorkflowMultiBranchProject folder, String branch) {
        return Optional.ofNullable(liveJobs(folder).get(branch));
    }

    /** The branch (or pull request) a job of the folder builds; empty for a job the folder's factory did not make. */
    public static Optional<String> branchOf(WorkflowMultiBranchProject folder, WorkflowJob job) {
        BranchProjectFactory<WorkflowJob, WorkflowRun> factory = folder.getProjectFactory();
        return factory.isProject(job) ? Optional.of(factory.getBranch(job).getName()) : Optional.empty();
    }

    /** The folder's branch jobs not marked dead, by branch name. */
    private static Map<String, WorkflowJob> liveJobs(WorkflowMultiBranchProject folder) {
        BranchProjectFactory<WorkflowJob, WorkflowRun> factory = folder.getProjectFactory();
        Map<String, WorkflowJob> live = new HashMap<>();
        for (WorkflowJob job : folder.getItems()) {
            if (factory.isProject(job)) {
                Branch branch = factory.getBranch(job);
                if (!(branch instanceof Branch.Dead)) {
                    live.put(branch.getName(), job);
                }
            }
        }
        return live;
    }

    /**
     * The folder whose teardown job {@code job} is, for an environment of {@code project}: the folder the
     * project's deploys noted, when {@code job} is that folder's teardown job; otherwise empty.
     */
    public static Optional<WorkflowMultiBranchProject> folderTornDownBy(hudson.model.Job<?, ?> job, String project)
            throws IOException {
        Optional<String> noted = BerthStates.get().folderOf(project);
        if (noted.isEmpty()) {
            return Optional.empty();
        }
        WorkflowMultiBranchProject folder = jenkins.model.Jenkins.get().getItemByFullName(noted.get(),
                WorkflowMultiBranchProject.class);
        // The job itself, where Berth put it: a job of the same name elsewhere is not the folder's, nor is one
        // someone made there with a script of their own (before Berth did, or by configuring it since).
        return folder != null && job.getName().equals(BranchJobScripts.teardownJobName(folder.getFullName()))
                && job.getParent() == teardownGroup(folder) && runsTheTeardownScript(job)
                ? Optional.of(folder) : Optional.empty();
    }

    /**
     * True when {@code job} is a Pipeline job running Berth's teardown script, as Berth creates its teardown jobs
     * (or an earlier Berth did: {@link #teardownJob} brings those up to date).
     */
    private static boolean runsTheTeardownScript(hudson.model.Job<?, ?> job) {
        return teardownScript(job).map(BranchJobScripts::isTeardownScript).orElse(false);
    }

    private static Optional<String> teardownScript(hudson.model.Job<?, ?> job) {
        return job instanceof WorkflowJob workflow && workflow.getDefinition()
                instanceof org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition definition
                ? Optional.of(definition.getScript()) : Optional.empty();
    }

    /**
     * Refuses a request of a Berth teardown job (one that runs Berth's teardown script) for a project that
     * {@link #folderTornDownBy} found no folder of its for: another folder's project, or one no folder deploys.
     * Its build must not go on to tear anything down in its own workspace with its credentials bound.
     *
     * @throws hudson.AbortException saying why, when {@code job} runs the teardown script
     */
    public static void refuseOtherProjects(hudson.model.Job<?, ?> job, String project) throws IOException {
        if (runsTheTeardownScript(job)) {
            Optional<String> owner = BerthStates.get().folderOf(project);
            throw new hudson.AbortException("berth: " + ((hudson.model.Item) job).getFullName() + " tears down only the projects of its"
                    + " own Berth folder, and project " + project + " is "
                    + owner.map(folder -> folder + "'s").orElse("no Berth folder's") + "; nothing is torn down");
        }
    }

    /** Where the folder's teardown job goes: the nearest group above it that takes new jobs (null: none). */
    private static ModifiableTopLevelItemGroup teardownGroup(WorkflowMultiBranchProject folder) {
        ItemGroup<?> group = folder.getParent();
        while (!(group instanceof ModifiableTopLevelItemGroup)) {
            if (!(group instanceof Item item)) {
                return null;
            }
            group = item.getParent();
        }
        return (ModifiableTopLevelItemGroup) group;
    }

    /** The folder's teardown job, created on first use in the nearest group that takes new jobs. */
    static WorkflowJob teardownJob(WorkflowMultiBranchProject folder) throws IOException {
        ModifiableTopLevelItemGroup target = teardownGroup(folder);
        if (target == null) {
            throw new IOException("Berth: no folder above " + folder.getFullName() + " can hold its teardown job");
        }
        String name = BranchJobScripts.teardownJobName(folder.getFullName());
        TopLevelItem existing = target.getItem(name);
        if (existing instanceof WorkflowJob job && runsTheTeardownScript(job)) {
            if (!teardownScript(job).orElseThrow().strip().equals(BranchJobScripts.TEARDOWN.strip())) {
                // An earlier Berth's job lacks parameters this Berth passes, which Jenkins would drop.
                try (ACLContext system = ACL.as2(ACL.SYSTEM2)) {
                    job.updateByXml((javax.xml.transform.Source) new javax.xml.transform.stream.StreamSource(
                            new java.io.StringReader(TeardownJobXml.of(folder.getFullName()))));
                }
            }
            return job;
        }
        if (existing != null) {
            throw new IOException("Berth: '" + name + "' exists and is not a Pipeline job running Berth's teardown"
                    + " script; rename it so that Berth can create the teardown job of " + folder.getFullName());
        }
        // As SYSTEM: Berth creates the job for whoever acted (a click on the page, a deleted branch, indexing),
        // whose own permission was checked there; Item/Create in the folder above is not theirs to need.
        try (ACLContext system = ACL.as2(ACL.SYSTEM2);
                InputStream xml = new ByteArrayInputStream(TeardownJobXml.of(folder.getFullName())
                .getBytes(StandardCharsets.UTF_8))) {
            if (target.createProjectFromXML(name, xml) instanceof WorkflowJob job) {
                return job;
            }
        }
        throw new IOException("Berth: the teardown job " + name + " was not created as a Pipeline job");
    }
}
