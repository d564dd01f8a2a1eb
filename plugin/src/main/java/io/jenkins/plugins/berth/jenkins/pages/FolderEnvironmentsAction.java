package io.jenkins.plugins.berth.jenkins.pages;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentSummary;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.jenkins.jobs.SettingsRedeploys;
import io.jenkins.plugins.berth.pipeline.EnvironmentSummaries;
import io.jenkins.plugins.berth.pipeline.PageActions;
import hudson.model.Action;
import hudson.model.Cause;
import hudson.model.CauseAction;
import hudson.security.Permission;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs;
import io.jenkins.plugins.berth.teardown.SkipStages;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.kohsuke.stapler.verb.POST;

/**
 * A multibranch folder's Environments page ({@code .../job/<folder>/environments/}): the environments its
 * branch and pull request jobs deployed, with their status, URL, last deploy, expiry, pin and Terraform
 * state versions. Reading it needs Item/Read on the folder; its buttons are POST-only and each needs its
 * {@link BerthPermissions} permission on the folder.
 */
public final class FolderEnvironmentsAction implements Action {

    static final String URL_NAME = "environments";

    private final WorkflowMultiBranchProject folder;

    FolderEnvironmentsAction(WorkflowMultiBranchProject folder) {
        this.folder = folder;
    }

    public WorkflowMultiBranchProject getFolder() {
        return folder;
    }

    @Override
    public String getIconFileName() {
        return "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return "Environments";
    }

    @Override
    public String getUrlName() {
        return URL_NAME;
    }

    public Permission getTeardownPermission() {
        return BerthPermissions.TEARDOWN;
    }

    public Permission getRedeployPermission() {
        return BerthPermissions.REDEPLOY;
    }

    public Permission getPinPermission() {
        return BerthPermissions.PIN;
    }

    /** The folder's environments; its live branches decide what reaping will do with each. */
    public List<EnvironmentEntries.Entry> getEntries() throws IOException, StateException {
        folder.checkPermission(hudson.model.Item.READ);
        return EnvironmentEntries.of(projects(), Optional.of(TeardownJobs.liveBranches(folder)));
    }

    /** The folder's Berth settings version now: the digest of its defaults, its folders' and Jenkins'. */
    public String getSettingsVersion() {
        return SettingsRedeploys.version(folder);
    }

    /** The live environments last deployed with other settings than the folder's now, by name. */
    public List<String> getOutdated() throws IOException {
        folder.checkPermission(hudson.model.Item.READ);
        return SettingsRedeploys.outdated(folder).stream().map(EnvironmentSummary::name).toList();
    }

    /** Redeploys every {@link #getOutdated} environment ({@code berth redeploy} in its branch job). */
    @POST
    public void doRedeployAll(HttpServletRequest request, HttpServletResponse response) throws IOException {
        folder.checkPermission(BerthPermissions.REDEPLOY);
        SettingsRedeploys.schedule(folder, "asked on the Environments page ("
                + new Cause.UserIdCause().getShortDescription() + ")", true);
        response.sendRedirect(".");
    }

    /**
     * The folder's environments as a JSON array, with the fields and names {@code berth envs --json} prints
     * ({@link EnvironmentSummaries}).
     */
    public void doJson(HttpServletRequest request, HttpServletResponse response) throws IOException {
        folder.checkPermission(hudson.model.Item.READ);
        StateStore.Records records = StateStore.Records.of(projects());
        response.setContentType("application/json;charset=UTF-8");
        response.getWriter().print(io.jenkins.plugins.berth.Json.mapper().writeValueAsString(
                EnvironmentSummaries.of(records.readable())));
    }

    /**
     * Queues a build of the folder's teardown job for the environment; with {@code skipStages}, one that skips
     * the teardown stages for the {@code reason} given (400 without one).
     */
    @POST
    public void doTeardown(HttpServletRequest request, HttpServletResponse response) throws IOException, StateException {
        folder.checkPermission(BerthPermissions.TEARDOWN);
        Optional<SkipStages> skip;
        try {
            skip = SkipStages.of(request.getParameter("skipStages") != null,
                    Optional.ofNullable(request.getParameter("reason")));
        } catch (IllegalArgumentException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, e.getMessage());
            return;
        }
        Optional<EnvironmentRecord> environment = allowed(PageActions.Action.TEAR_DOWN, request, response);
        if (environment.isPresent()) {
            TeardownJobs.schedule(folder, environment.get().project(), environment.get().name(),
                    "asked on the Environments page (" + new Cause.UserIdCause().getShortDescription() + ")"
                    + skip.map(s -> ", teardown stages skipped: " + s.reason()).orElse(""), skip);
            response.sendRedirect(".");
        }
    }

    /** Queues a build of the environment's branch job, which deploys the branch again. */
    @POST
    public void doRedeploy(HttpServletRequest request, HttpServletResponse response) throws IOException, StateException {
        folder.checkPermission(BerthPermissions.REDEPLOY);
        Optional<EnvironmentRecord> environment = allowed(PageActions.Action.REDEPLOY, request, response);
        if (environment.isPresent()) {
            Optional<WorkflowJob> job = TeardownJobs.branchJob(folder, environment.get().branch());
            if (job.isEmpty()) {
                response.sendError(HttpServletResponse.SC_CONFLICT, "branch " + environment.get().branch()
                        + " has no job in " + folder.getFullName());
                return;
            }
            job.get().scheduleBuild2(0, new CauseAction(new Cause.UserIdCause()));
            response.sendRedirect(".");
        }
    }

    @POST
    public void doPin(HttpServletRequest request, HttpServletResponse response) throws IOException, StateException {
        setPinned(PageActions.Action.PIN, request, response);
    }

    @POST
    public void doUnpin(HttpServletRequest request, HttpServletResponse response) throws IOException, StateException {
        setPinned(PageActions.Action.UNPIN, request, response);
    }

    private void setPinned(PageActions.Action action, HttpServletRequest request, HttpServletResponse response)
            throws IOException, StateException {
        folder.checkPermission(BerthPermissions.PIN);
        Optional<EnvironmentRecord> environment = allowed(action, request, response);
        if (environment.isPresent()) {
            boolean pinned = action == PageActions.Action.PIN;
            store(environment.get().project()).orElseThrow().update(environment.get().name(),
                    stored -> stored.orElseThrow().withProtected(pinned, Instant.now()));
            response.sendRedirect(".");
        }
    }

    /**
     * The environment the request names, when it is one of this folder's and {@link PageActions} allows the
     * action; otherwise the response says why (400 for a bad request, 409 for a refused action) and this is empty.
     */
    private Optional<EnvironmentRecord> allowed(PageActions.Action action, HttpServletRequest request,
            HttpServletResponse response) throws IOException, StateException {
        String project = request.getParameter("project");
        String name = request.getParameter("environment");
        Optional<DirectoryStateStore> store = project == null ? Optional.empty() : store(project);
        Optional<EnvironmentRecord> environment = store.isEmpty() || name == null ? Optional.empty()
                : store.get().read(name);
        if (environment.isEmpty()) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST, "name one of " + folder.getFullName()
                    + "'s environments: project=...&environment=...");
            return Optional.empty();
        }
        Set<String> live = TeardownJobs.liveBranches(folder);
        Optional<String> refusal = PageActions.refusal(action, environment.get(), live);
        if (refusal.isPresent()) {
            response.sendError(HttpServletResponse.SC_CONFLICT, "cannot " + action.words() + ": " + refusal.get());
            return Optional.empty();
        }
        return environment;
    }

    /** The records of one of this folder's projects; empty for another folder's, so its buttons cannot reach them. */
    private Optional<DirectoryStateStore> store(String project) throws IOException {
        return projects().stream().filter(store -> store.folder().getFileName().toString().equals(project))
                .findFirst();
    }

    private List<DirectoryStateStore> projects() throws IOException {
        return BerthStates.get().projectsOf(folder.getFullName());
    }
}
