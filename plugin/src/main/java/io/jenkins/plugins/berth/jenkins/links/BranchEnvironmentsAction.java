package io.jenkins.plugins.berth.jenkins.links;

import hudson.model.Action;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentSummary;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.pipeline.EnvironmentRows;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * On a branch or pull request job of a folder whose builds deploy with Berth: the environments that branch
 * deployed and that are not torn down, with their status and URL, on the job's page (jobMain) and in its REST
 * API. Read from the records index when shown, so it is never stale and costs nothing elsewhere.
 */
@ExportedBean
public final class BranchEnvironmentsAction implements Action {

    private final WorkflowMultiBranchProject folder;
    private final String branch;

    BranchEnvironmentsAction(WorkflowMultiBranchProject folder, String branch) {
        this.folder = folder;
        this.branch = branch;
    }

    /** One live environment of the branch, as the job page and the API show it. */
    @ExportedBean(defaultVisibility = 2)
    public static final class LiveEnvironment {
        private final EnvironmentSummary record;

        LiveEnvironment(EnvironmentSummary record) {
            this.record = record;
        }

        @Exported
        public String getName() {
            return record.name();
        }

        @Exported
        public String getProject() {
            return record.project();
        }

        @Exported
        public String getStatus() {
            return record.status().keyword();
        }

        @Exported
        public String getUrl() {
            return record.url().orElse("");
        }

        @Exported
        public String getLastDeploy() {
            return record.lastDeployAt().map(Instant::toString).orElse("");
        }

        @Exported
        public String getExpiry() {
            return record.expiresAt().map(Instant::toString).orElse("");
        }

        /** The URL as a link: only an http(s) address. */
        public String getLink() {
            return record.url().flatMap(EnvironmentRows::link).orElse("");
        }
    }

    /** The branch's environments that are not torn down, by name. */
    @Exported
    public List<LiveEnvironment> getEnvironments() throws IOException {
        List<DirectoryStateStore> projects = BerthStates.get().projectsOf(folder.getFullName());
        return StateStore.Summaries.of(projects).readable().stream()
                .filter(record -> record.branch().equals(branch) && !record.isGone())
                .sorted(java.util.Comparator.comparing(EnvironmentSummary::name))
                .map(LiveEnvironment::new).toList();
    }

    public String getBranch() {
        return branch;
    }

    /** Shown on the job's page only (jobMain.jelly), not in the side panel. */
    @Override
    public String getIconFileName() {
        return null;
    }

    @Override
    public String getDisplayName() {
        return "Berth environments";
    }

    @Override
    public String getUrlName() {
        return null;
    }
}
