package io.jenkins.plugins.berth.environments;

import hudson.Extension;
import hudson.model.RootAction;
import io.jenkins.plugins.berth.state.BerthStates;
import io.jenkins.plugins.berth.terraform.StateStorage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import jenkins.model.Jenkins;
import org.kohsuke.stapler.verb.POST;

/**
 * The Environments page ({@code /berth-environments/}): every environment whose records Jenkins hosts,
 * with its branch, status, URL, last deploy (linked to its build), expiry, pin and Terraform state
 * versions. Pin and Unpin are POST-only and need {@link BerthPermissions#MANAGE}; the page itself needs
 * Administer or that permission, since it names every project's environments.
 */
@Extension
public final class BerthEnvironmentsAction implements RootAction {

    /**
     * A row as the page prints it: every field text, an empty link when there is none to offer, and
     * the versions of its stacks' states.
     */
    public record Entry(String name, String project, String branch, String status, String url, String urlLink,
            String lastDeploy, String lastRunBy, String lastRunLink, String expiry, boolean pinned, String verdict,
            List<String> stateVersions) {

        static Entry of(EnvironmentRows.Row row, List<String> stateVersions) {
            return new Entry(row.name(), row.project(), row.branch() + " (" + row.kind().keyword() + ")",
                    row.status().keyword(), row.url().orElse(""), row.url().flatMap(EnvironmentRows::link).orElse(""),
                    row.lastDeployAt().map(Instant::toString).orElse("never"), row.lastRunBy().orElse(""),
                    row.lastRunLink().orElse(""), row.expiresAt().map(Instant::toString).orElse("none"), row.pinned(),
                    row.verdict(), stateVersions);
        }
    }

    /** The permission the page and its buttons need. */
    public hudson.security.Permission getManagePermission() {
        return BerthPermissions.MANAGE;
    }

    @Override
    public String getIconFileName() {
        return Jenkins.get().hasPermission(BerthPermissions.MANAGE) ? "symbol-cube" : null;
    }

    @Override
    public String getDisplayName() {
        return "Berth environments";
    }

    @Override
    public String getUrlName() {
        return "berth-environments";
    }

    /** What the page lists; branches are unknown here, so only expiry decides the verdict. */
    public List<Entry> getEntries() throws IOException, StateException {
        Jenkins.get().checkPermission(BerthPermissions.MANAGE);
        List<EnvironmentRecord> records = new ArrayList<>();
        for (DirectoryStateStore project : BerthStates.get().projects()) {
            records.addAll(project.all());
        }
        StateStorage states = BerthStates.get().storage();
        // Two projects may each have an environment of the same name.
        java.util.Map<List<String>, List<String>> versions = new java.util.HashMap<>();
        for (EnvironmentRecord record : records) {
            List<String> lines = new ArrayList<>();
            for (StackRecord stack : record.stacks()) {
                if (stack.backend().equals("http") && StateStorage.isKey(stack.stateKey())) {
                    lines.add(stack.name() + ": " + states.versions(stack.stateKey()).size() + " earlier versions");
                }
            }
            versions.put(List.of(record.project(), record.name()), lines);
        }
        return EnvironmentRows.of(records, Optional.empty(), Instant.now()).stream()
                .map(row -> Entry.of(row, versions.get(List.of(row.project(), row.name())))).toList();
    }

    @POST
    public void doPin(HttpServletRequest request, HttpServletResponse response) throws IOException, StateException {
        setPinned(request, true);
        response.sendRedirect(".");
    }

    @POST
    public void doUnpin(HttpServletRequest request, HttpServletResponse response) throws IOException, StateException {
        setPinned(request, false);
        response.sendRedirect(".");
    }

    private static void setPinned(HttpServletRequest request, boolean pinned) throws IOException, StateException {
        Jenkins.get().checkPermission(BerthPermissions.MANAGE);
        String project = request.getParameter("project");
        String environment = request.getParameter("environment");
        if (project == null || environment == null) {
            throw new IllegalArgumentException("name a project and an environment");
        }
        DirectoryStateStore store = new DirectoryStateStore(BerthStates.get().projectFolder(project).toPath());
        if (store.read(environment).isEmpty()) {
            throw new IllegalArgumentException("project " + project + " has no environment " + environment);
        }
        store.update(environment, stored -> stored.orElseThrow().withProtected(pinned, Instant.now()));
    }
}
