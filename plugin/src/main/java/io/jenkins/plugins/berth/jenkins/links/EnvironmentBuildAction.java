package io.jenkins.plugins.berth.jenkins.links;

import hudson.model.Run;
import io.jenkins.plugins.berth.pipeline.DeployReport;
import io.jenkins.plugins.berth.pipeline.EnvironmentRows;
import jenkins.model.RunAction2;
import org.kohsuke.stapler.export.Exported;
import org.kohsuke.stapler.export.ExportedBean;

/**
 * An environment this build deployed, redeployed or tore down, as the controller's record had it when the
 * build's work on it ended: a line in the build's summary, a link in its side panel to the environment's URL,
 * and the same fields in the build's REST API ({@code .../api/json?tree=actions[environment,status,url]}).
 * One per environment (a later deploy in the same build replaces it).
 */
@ExportedBean
public final class EnvironmentBuildAction implements RunAction2 {

    private final String project;
    private final String environment;
    private final String outcome;
    private final String status;
    private final String url;
    private final String title;

    EnvironmentBuildAction(String project, DeployReport report, String status) {
        this.project = project;
        this.environment = report.environment();
        this.outcome = report.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        this.status = status;
        this.url = report.url().orElse("");
        this.title = report.title();
    }

    @Exported
    public String getProject() {
        return project;
    }

    @Exported
    public String getEnvironment() {
        return environment;
    }

    /** {@code succeeded}, {@code failed}, {@code torn-down} or {@code in-progress}. */
    @Exported
    public String getOutcome() {
        return outcome;
    }

    /** The record's status keyword, such as {@code ready}. */
    @Exported
    public String getStatus() {
        return status;
    }

    /** The environment's URL; empty when it has none (or no longer has one). */
    @Exported
    public String getUrl() {
        return url;
    }

    @Exported
    public String getTitle() {
        return title;
    }

    /** The URL as a link: only an http(s) address, never what a record could smuggle in ({@code javascript:}). */
    public String getLink() {
        return EnvironmentRows.link(url).orElse("");
    }

    /** Shown in the side panel only when there is an address to go to. */
    @Override
    public String getIconFileName() {
        return getLink().isEmpty() ? null : "symbol-cube";
    }

    @Override
    public String getDisplayName() {
        return "Environment " + environment;
    }

    /** The environment's own address: Jenkins links an absolute URL as it is. */
    @Override
    public String getUrlName() {
        return getLink().isEmpty() ? null : getLink();
    }

    @Override
    public void onAttached(Run<?, ?> r) {
        // Nothing to keep: the action carries its own values.
    }

    @Override
    public void onLoad(Run<?, ?> r) {
        // Nothing to keep: the action carries its own values.
    }
}
