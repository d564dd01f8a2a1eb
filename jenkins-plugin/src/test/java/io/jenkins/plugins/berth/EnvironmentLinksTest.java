package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Job;
import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.jenkins.config.BerthFolderProperty;
import io.jenkins.plugins.berth.jenkins.config.DeploySettings;
import io.jenkins.plugins.berth.jenkins.folder.BerthProject;
import io.jenkins.plugins.berth.jenkins.jobs.SettingsRedeployCause;
import io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs;
import io.jenkins.plugins.berth.jenkins.links.EnvironmentBuildAction;
import io.jenkins.plugins.checks.api.ChecksConclusion;
import io.jenkins.plugins.checks.api.ChecksDetails;
import io.jenkins.plugins.checks.api.ChecksPublisher;
import io.jenkins.plugins.checks.api.ChecksPublisherFactory;
import io.jenkins.plugins.checks.api.ChecksStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.TestExtension;

/**
 * Where Jenkins users see an environment (-Pjenkins only): its URL and status on the build that deployed it (page
 * and REST API) and on its branch job, one check per environment through checks-api (captured here by a test
 * publisher, as GitHub's or GitLab's would receive it), and redeploys when the folder's Berth settings change.
 */
public class EnvironmentLinksTest {

    @Rule public JenkinsRule j = new JenkinsRule();
    @Rule public LocalGitRepository repo = new LocalGitRepository();

    /** What was published, in order: the check and where it went ("run NAME#N" or "job NAME"). */
    record Published(String to, ChecksDetails details) {}

    static final List<Published> PUBLISHED = Collections.synchronizedList(new ArrayList<>());

    /** Captures every check, for runs and for jobs, as a host's publisher would receive it. */
    @TestExtension
    public static final class CapturingChecks extends ChecksPublisherFactory {
        @Override
        protected Optional<ChecksPublisher> createPublisher(Run<?, ?> run, TaskListener listener) {
            return Optional.of(capture("run " + run.getParent().getFullName() + "#" + run.getNumber()));
        }

        @Override
        protected Optional<ChecksPublisher> createPublisher(Job<?, ?> job, TaskListener listener) {
            return Optional.of(capture("job " + job.getFullName()));
        }

        private static ChecksPublisher capture(String to) {
            return new ChecksPublisher() {
                @Override
                public void publish(ChecksDetails details) {
                    PUBLISHED.add(new Published(to, details));
                }
            };
        }
    }

    private BerthProject shopWithAUrl() throws Exception {
        BerthFolders.tofuOnThePath(j);
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\ninfrastructure:\n"
                + "  - name: app\n    dir: infra\n    outputs: { APP_URL: url }\n    url: APP_URL\nstages:\n"
                + "  - name: hello\n    run: echo \"url is $APP_URL\"\n");
        repo.write("infra/main.tf", "resource \"terraform_data\" \"app\" { input = \"x\" }\n"
                + "output \"url\" { value = \"http://127.0.0.1:9/${terraform_data.app.id}\" }\n");
        repo.git("add", ".");
        repo.git("commit", "--message=deploy file and infrastructure");
        BerthProject shop = BerthFolders.create(j, "shop", BerthFolders.gitSource(repo));
        j.waitUntilNoActivity();
        return shop;
    }

    private static List<ChecksDetails> checksTo(String to) {
        synchronized (PUBLISHED) {
            return PUBLISHED.stream().filter(p -> p.to().equals(to)).map(Published::details).toList();
        }
    }

    @Test
    public void theBuildAndTheBranchJobShowTheEnvironmentsUrlAndOneCheckFollowsItThroughATeardown() throws Exception {
        PUBLISHED.clear();
        BerthProject shop = shopWithAUrl();
        WorkflowJob master = shop.getItem("master");
        WorkflowRun first = j.assertBuildStatusSuccess(master.getLastBuild());

        EnvironmentBuildAction action = first.getAction(EnvironmentBuildAction.class);
        assertThat(action).as("the build's environment").isNotNull();
        assertThat(action.getEnvironment()).isEqualTo("shop-master");
        assertThat(action.getStatus()).isEqualTo("ready");
        assertThat(action.getUrl()).startsWith("http://127.0.0.1:9/");
        JenkinsRule.WebClient web = j.createWebClient();
        String buildPage = web.goTo(first.getUrl()).asXml();
        assertThat(buildPage).contains("shop-master").contains("href=\"" + action.getUrl() + "\"");
        String buildApi = web.goTo(first.getUrl() + "api/json?tree=actions[environment,status,url]", "application/json")
                .getWebResponse().getContentAsString();
        assertThat(buildApi).contains("\"environment\":\"shop-master\"").contains("\"status\":\"ready\"")
                .contains("\"url\":\"" + action.getUrl() + "\"");
        String jobPage = web.goTo(master.getUrl()).asXml();
        assertThat(jobPage).contains("berth-branch-environments").contains("href=\"" + action.getUrl() + "\"");
        String jobApi = web.goTo(master.getUrl() + "api/json?tree=actions[environments[name,status,url]]",
                "application/json").getWebResponse().getContentAsString();
        assertThat(jobApi).contains("\"name\":\"shop-master\"").contains("\"url\":\"" + action.getUrl() + "\"");

        WorkflowRun second = j.buildAndAssertSuccess(master);
        for (WorkflowRun run : List.of(first, second)) {
            List<ChecksDetails> checks = checksTo("run shop/master#" + run.getNumber());
            assertThat(checks).as("build " + run.getNumber() + "'s checks").hasSize(2);
            assertThat(checks).extracting(c -> c.getName().orElseThrow()).containsOnly("berth/shop-master");
            assertThat(checks.get(0).getStatus()).isEqualTo(ChecksStatus.IN_PROGRESS);
            assertThat(checks.get(1).getStatus()).isEqualTo(ChecksStatus.COMPLETED);
            assertThat(checks.get(1).getConclusion()).isEqualTo(ChecksConclusion.SUCCESS);
            assertThat(checks.get(1).getDetailsURL()).contains(action.getUrl());
            assertThat(checks.get(1).getOutput().orElseThrow().getSummary().orElseThrow())
                    .contains("**URL:** " + action.getUrl()).contains("| stages | hello succeeded |");
        }

        TeardownJobs.schedule(shop, "shop", "shop-master", "a test");
        j.waitUntilNoActivity();
        List<ChecksDetails> tornDown = checksTo("job shop/master");
        assertThat(tornDown).as("the teardown's check, on the branch job's commit").hasSize(1);
        assertThat(tornDown.get(0).getName()).contains("berth/shop-master");
        assertThat(tornDown.get(0).getConclusion()).isEqualTo(ChecksConclusion.NEUTRAL);
        assertThat(tornDown.get(0).getOutput().orElseThrow().getTitle()).contains("shop-master was torn down");
        assertThat(web.goTo(master.getUrl()).asXml()).as("no live environment left")
                .doesNotContain("berth-branch-environments");
    }

    @Test
    public void changedFolderSettingsRedeployTheEnvironmentsDeployedWithTheOldOnes() throws Exception {
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\nstages:\n  - name: hello\n    run: echo hello\n");
        repo.git("add", ".");
        repo.git("commit", "--message=deploy file");
        DeploySettings threeDays = new DeploySettings();
        threeDays.setTtl("3d");
        BerthProject shop = BerthFolders.create(j, "shop", BerthFolders.gitSource(repo), threeDays);
        j.waitUntilNoActivity();
        WorkflowJob master = shop.getItem("master");
        j.assertBuildStatusSuccess(master.getLastBuild());
        JenkinsRule.WebClient web = j.createWebClient();
        assertThat(web.goTo(shop.getUrl() + "environments/").asXml()).doesNotContain("berth-settings-changed");
        String json = web.goTo(shop.getUrl() + "environments/json", "application/json").getWebResponse()
                .getContentAsString();
        com.fasterxml.jackson.databind.JsonNode listed = io.jenkins.plugins.berth.Json.mapper().readTree(json).get(0);
        assertThat(listed.get("name").asText()).isEqualTo("shop-master");
        assertThat(listed.get("status").asText()).isEqualTo("ready");
        assertThat(listed.has("expires_at")).isTrue();

        // Changed without the folder saying to redeploy: the page lists it and offers Redeploy all.
        DeploySettings fiveDays = new DeploySettings();
        fiveDays.setTtl("5d");
        shop.getProperties().replace(new BerthFolderProperty(fiveDays));
        j.configRoundtrip(shop);
        j.waitUntilNoActivity();
        assertThat(master.getBuilds()).as("no redeploy asked for").hasSize(1);
        String page = web.goTo(shop.getUrl() + "environments/").asXml();
        assertThat(page).contains("berth-settings-changed").contains("shop-master").contains("Redeploy all");
        web.getPage(new WebRequest(web.createCrumbedUrl(shop.getUrl() + "environments/redeployAll"), HttpMethod.POST));
        j.waitUntilNoActivity();
        WorkflowRun asked = master.getLastBuild();
        assertThat(asked.getNumber()).isEqualTo(2);
        j.assertBuildStatusSuccess(asked);
        assertThat(asked.getCause(SettingsRedeployCause.class)).isNotNull();
        j.assertLogContains(" redeploy ", asked);
        assertThat(web.goTo(shop.getUrl() + "environments/").asXml()).doesNotContain("berth-settings-changed");

        // The folder says to redeploy on a change: saving it with other settings redeploys.
        DeploySettings sevenDays = new DeploySettings();
        sevenDays.setTtl("7d");
        BerthFolderProperty redeploying = new BerthFolderProperty(sevenDays);
        redeploying.setRedeployOnSettingsChange(true);
        shop.getProperties().replace(redeploying);
        j.configRoundtrip(shop);
        j.waitUntilNoActivity();
        WorkflowRun onSave = master.getLastBuild();
        assertThat(onSave.getNumber()).isEqualTo(3);
        j.assertBuildStatusSuccess(onSave);
        assertThat(onSave.getCause(SettingsRedeployCause.class)).isNotNull();
        assertThat(shop.getProperties().get(BerthFolderProperty.class).isRedeployOnSettingsChange())
                .as("the setting survives the form").isTrue();

        // Saved again with the same settings: nothing is outdated, nothing redeploys.
        j.configRoundtrip(shop);
        j.waitUntilNoActivity();
        assertThat(master.getLastBuild().getNumber()).isEqualTo(3);
    }
}
