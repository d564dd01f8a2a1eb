package io.jenkins.plugins.berth.jenkins.pages;

import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentSummary;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.StateException;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.pipeline.EnvironmentRows;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.terraform.StateStorage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rows both Environments pages print, from the records of some projects: every field as text, an
 * empty link where there is none to offer, and the versions kept of each stack's Terraform state.
 */
public final class EnvironmentEntries {

    /** A row as a page prints it. */
    public record Entry(String name, String project, String branch, String status, String url, String urlLink,
            String lastDeploy, String lastRunBy, String lastRunLink, String expiry, boolean pinned, boolean gone,
            String verdict, List<String> stateVersions, String access) {

        static Entry of(EnvironmentRows.Row row, List<String> stateVersions, String access) {
            return new Entry(row.name(), row.project(), row.branch() + " (" + row.kind().keyword() + ")",
                    row.status().keyword() + row.teardownStagesSkipped()
                            .map(reason -> " (teardown stages skipped: " + reason + ")").orElse(""), row.url().orElse(""), row.url().flatMap(EnvironmentRows::link).orElse(""),
                    row.lastDeployAt().map(Instant::toString).orElse("never"), row.lastRunBy().orElse(""),
                    row.lastRunLink().orElse(""), row.expiresAt().map(Instant::toString).orElse("none"), row.pinned(),
                    row.status() == EnvironmentStatus.GONE, row.verdict(), stateVersions, access);
        }
    }

    private static final java.util.logging.Logger LOGGER =
            java.util.logging.Logger.getLogger(EnvironmentEntries.class.getName());

    private EnvironmentEntries() {}

    /**
     * The environments of {@code projects}, in {@link EnvironmentRows} order.
     *
     * @param liveBranches the branches that still have a job, when known (they decide what reaping will do)
     */
    public static List<Entry> of(List<DirectoryStateStore> projects, Optional<Set<String>> liveBranches)
            throws IOException, StateException {
        // The projects' records indexes: one file each, however many environments.
        StateStore.Summaries all = StateStore.Summaries.of(projects);
        // One bad record must not take the page down: it is left out, and the log says which file it is.
        all.unreadable().forEach(u -> LOGGER.warning("Berth: Environments page skips " + u.message()));
        List<EnvironmentSummary> records = all.readable();
        StateStorage states = BerthStates.get().storage();
        // Two projects may each have an environment of the same name.
        Map<List<String>, List<String>> versions = new HashMap<>();
        Map<List<String>, String> access = new HashMap<>();
        for (EnvironmentSummary record : records) {
            List<String> lines = new ArrayList<>();
            for (Map.Entry<String, String> stack : record.httpStates().entrySet()) {
                if (StateStorage.isKey(stack.getValue())) {
                    lines.add(stack.getKey() + ": " + states.versions(stack.getValue()).size() + " earlier versions");
                }
            }
            versions.put(List.of(record.project(), record.name()), lines);
            access.put(List.of(record.project(), record.name()),
                    BerthStates.get().access(record.project(), record.name()).orElse(""));
        }
        List<Entry> entries = new ArrayList<>(EnvironmentRows.of(records, liveBranches, Instant.now()).stream()
                .map(row -> Entry.of(row, versions.get(List.of(row.project(), row.name())),
                        access.get(List.of(row.project(), row.name())))).toList());
        return withWaitingForBuildArgs(projects, entries);
    }

    /**
     * An environment whose build waits for build arguments (its {@code input} is open) says so: its row's status,
     * or, for a first build that has no record yet, a row of its own.
     */
    private static List<Entry> withWaitingForBuildArgs(List<DirectoryStateStore> projects, List<Entry> entries)
            throws IOException {
        List<Entry> result = new ArrayList<>(entries);
        for (DirectoryStateStore store : projects) {
            String project = store.folder().getFileName().toString();
            Map<String, List<String>> waiting = BerthStates.get().buildArgNotes(project).waiting();
            for (Map.Entry<String, List<String>> wait : waiting.entrySet()) {
                String status = "needs build arguments: " + String.join(", ", wait.getValue());
                boolean found = false;
                for (int i = 0; i < result.size(); i++) {
                    Entry e = result.get(i);
                    if (e.project().equals(project) && e.name().equals(wait.getKey())) {
                        result.set(i, new Entry(e.name(), e.project(), e.branch(), status, e.url(), e.urlLink(),
                                e.lastDeploy(), e.lastRunBy(), e.lastRunLink(), e.expiry(), e.pinned(), e.gone(),
                                e.verdict(), e.stateVersions(), e.access()));
                        found = true;
                    }
                }
                if (!found) {
                    result.add(new Entry(wait.getKey(), project, "", status, "", "", "never", "", "", "none", false,
                            false, "", List.of(), ""));
                }
            }
        }
        return result;
    }
}
