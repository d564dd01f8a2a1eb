package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.hudson.plugins.folder.Folder;
import hudson.model.ParametersDefinitionProperty;
import hudson.model.Result;
import hudson.model.StringParameterDefinition;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentKind;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.EnvironmentStatus;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.jenkins.folder.BerthProject;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.jenkins.jobs.TeardownJobs;
import io.jenkins.plugins.berth.jenkins.pages.BerthPermissions;
import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import io.jenkins.plugins.berth.teardown.SkipStages;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Optional;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;

/**
 * The teardown job in a real Jenkins (-Pjenkins only): only the job Berth put beside its folder uses the states
 * Jenkins hosts for the folder's projects, and it tears down only what the folder's records back, a pinned
 * environment only when a user with Berth/Teardown asks.
 */
public class TeardownJobTest {

    @Rule public JenkinsRule j = new JenkinsRule();
    @Rule public LocalGitRepository repo = new LocalGitRepository();

    /** The Berth folder "shop" over master, whose deploy left the record of shop-master on the controller. */
    private BerthProject deployedShop() throws Exception {
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\nstages:\n  - name: hello\n    run: echo hello\n"
                + "teardown:\n  - name: goodbye\n    run: echo \"goodbye from $BERTH_ENVIRONMENT\"\n");
        repo.git("add", ".");
        repo.git("commit", "--message=deploy file");
        BerthProject shop = BerthFolders.create(j, "shop", BerthFolders.gitSource(repo));
        j.waitUntilNoActivity();
        j.assertBuildStatusSuccess(shop.getItem("master").getLastBuild());
        assertThat(store("shop").read("shop-master")).as("the record of shop-master").isPresent();
        return shop;
    }

    private static DirectoryStateStore store(String project) {
        return new DirectoryStateStore(BerthStates.get().projectFolder(project).toPath());
    }

    private static String record(String project, String environment) throws Exception {
        return Files.readString(store(project).file(environment), StandardCharsets.UTF_8);
    }

    /** A script that asks for shop-master's hosted state and record, and would overwrite the record. */
    private static final String IMPOSTOR = "node {\n"
            + "  berthEnvironment(environment: 'shop-master', project: 'shop') {\n"
            + "    sh 'echo \"url=${BERTH_STATE_URL:-none}\"; if [ -e .berth/state/shop-master.json ]; then"
            + " echo got the record; else echo no record here; fi'\n"
            + "    writeFile file: '.berth/state/shop-master.json', text: '{}'\n"
            + "  }\n"
            + "  echo \"kept=${berthKeptCredentials(environment: 'shop-master', project: 'shop')}\"\n"
            + "}";

    @Test
    public void aJobNamedLikeTheTeardownJobInAnotherFolderGetsNoHostedRecord() throws Exception {
        deployedShop();
        String before = record("shop", "shop-master");
        Folder other = j.jenkins.createProject(Folder.class, "other");
        WorkflowJob impostor = other.createProject(WorkflowJob.class, BranchJobScripts.teardownJobName("shop"));
        impostor.setDefinition(new CpsFlowDefinition(IMPOSTOR, true));
        WorkflowRun run = j.buildAndAssertSuccess(impostor);
        j.assertLogContains("is not a job of a multibranch folder", run);
        j.assertLogContains("url=none", run);
        j.assertLogContains("no record here", run);
        j.assertLogContains("kept=[]", run);
        assertThat(record("shop", "shop-master")).as("the controller's record").isEqualTo(before);
    }

    /**
     * A job someone made where Berth puts the folder's teardown job, with the teardown job's name and a script of
     * their own, before Berth made its own: it is not the folder's teardown job, and Berth does not use it.
     */
    @Test
    public void aJobWithItsOwnScriptWhereTheTeardownJobGoesIsNotTheTeardownJob() throws Exception {
        BerthProject shop = deployedShop();
        String before = record("shop", "shop-master");
        WorkflowJob squatter = j.createProject(WorkflowJob.class, BranchJobScripts.teardownJobName("shop"));
        squatter.setDefinition(new CpsFlowDefinition(IMPOSTOR, true));
        WorkflowRun run = j.buildAndAssertSuccess(squatter);
        j.assertLogContains("is not a job of a multibranch folder", run);
        j.assertLogContains("url=none", run);
        j.assertLogContains("no record here", run);
        assertThat(record("shop", "shop-master")).as("the controller's record").isEqualTo(before);
        java.io.IOException refused = org.junit.Assert.assertThrows(java.io.IOException.class,
                () -> TeardownJobs.schedule(shop, "shop", "shop-master", "a test"));
        assertThat(refused).hasMessageContaining("exists and is not a Pipeline job running Berth's teardown script");
        assertThat(squatter.getBuilds()).hasSize(1);
    }

    @Test
    public void theTeardownJobTearsAPinnedEnvironmentDownOnlyForAUserWithBerthTeardown() throws Exception {
        BerthProject shop = deployedShop();
        store("shop").update("shop-master", stored -> stored.orElseThrow().withProtected(true, Instant.now()));

        // Berth's own teardown (as when the branch goes) of a pinned environment is refused before anything runs.
        TeardownJobs.schedule(shop, "shop", "shop-master", "a test");
        j.waitUntilNoActivity();
        WorkflowJob teardown = j.jenkins.getItemByFullName(BranchJobScripts.teardownJobName("shop"), WorkflowJob.class);
        WorkflowRun byBerth = j.assertBuildStatus(Result.FAILURE, teardown.getLastBuild());
        j.assertLogContains("berth: shop-master is pinned; only a user with Berth/Teardown on shop may tear it down",
                byBerth);
        j.assertLogNotContains("goodbye from", byBerth);

        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(jenkins.model.Jenkins.READ, hudson.model.Item.READ, hudson.model.Item.BUILD).everywhere()
                .to("dev", "lead")
                .grant(BerthPermissions.TEARDOWN).onItems(shop).to("lead"));
        WorkflowRun byDev = buildWithParameters(teardown, "dev", "shop", "shop-master");
        j.assertBuildStatus(Result.FAILURE, byDev);
        j.assertLogContains("berth: shop-master is pinned; only a user with Berth/Teardown on shop", byDev);
        assertThat(store("shop").read("shop-master").orElseThrow().isGone()).isFalse();

        WorkflowRun byLead = buildWithParameters(teardown, "lead", "shop", "shop-master");
        j.assertBuildStatusSuccess(byLead);
        j.assertLogContains("goodbye from shop-master", byLead);
        assertThat(store("shop").read("shop-master").orElseThrow().isGone()).as("torn down").isTrue();
    }

    @Test
    public void theTeardownJobRefusesAProjectAnotherFolderOwnsAndAnEnvironmentItsProjectLacks() throws Exception {
        BerthProject shop = deployedShop();
        // The Berth folder "blog" deploys the project blog (as its deploys would have noted).
        j.jenkins.createProject(BerthProject.class, "blog");
        File blog = BerthStates.get().projectFolder("blog");
        blog.mkdirs();
        Files.writeString(new File(blog, "folder.txt").toPath(), "blog");
        store("blog").write(EnvironmentRecord.create("blog-master", "blog", "master", EnvironmentKind.BRANCH, false,
                Instant.now()));
        String before = record("blog", "blog-master");

        TeardownJobs.schedule(shop, "blog", "blog-master", "a test");
        j.waitUntilNoActivity();
        WorkflowJob teardown = j.jenkins.getItemByFullName(BranchJobScripts.teardownJobName("shop"), WorkflowJob.class);
        WorkflowRun other = teardown.getLastBuild();
        j.assertBuildStatus(Result.FAILURE, other);
        j.assertLogContains("berth: shop-teardown tears down only the projects of its own Berth folder, and project blog"
                + " is blog's; nothing is torn down", other);
        j.assertLogNotContains("berth-runner.jar", other);
        j.assertLogNotContains("goodbye from", other);
        assertThat(record("blog", "blog-master")).as("blog's record").isEqualTo(before);

        TeardownJobs.schedule(shop, "shop", "shop-feature", "a test");
        j.waitUntilNoActivity();
        WorkflowRun missing = teardown.getLastBuild();
        j.assertBuildStatus(Result.FAILURE, missing);
        j.assertLogContains("berth: project shop of shop has no environment shop-feature to tear down", missing);
    }

    @Test
    public void theEnvironmentsPageTearsDownWithoutTheTeardownStagesForAReasonTheRecordKeeps() throws Exception {
        BerthProject shop = deployedShop();
        store("shop").update("shop-master", stored -> stored.orElseThrow().withStatus(EnvironmentStatus.FAILED,
                Instant.now()));
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(jenkins.model.Jenkins.READ, hudson.model.Item.READ).everywhere().to("dev", "lead")
                .grant(BerthPermissions.TEARDOWN).onItems(shop).to("lead"));
        String teardownUrl = shop.getUrl() + "environments/teardown?project=shop&environment=shop-master&skipStages=true";

        JenkinsRule.WebClient dev = j.createWebClient().login("dev");
        dev.setThrowExceptionOnFailingStatusCode(false);
        assertThat(dev.getPage(new WebRequest(dev.createCrumbedUrl(teardownUrl + "&reason=why"), HttpMethod.POST))
                .getWebResponse().getStatusCode()).as("without Berth/Teardown").isEqualTo(403);
        JenkinsRule.WebClient lead = j.createWebClient().login("lead");
        lead.setThrowExceptionOnFailingStatusCode(false);
        WebResponse noReason = lead.getPage(new WebRequest(lead.createCrumbedUrl(teardownUrl), HttpMethod.POST))
                .getWebResponse();
        assertThat(noReason.getStatusCode()).isEqualTo(400);
        assertThat(noReason.getContentAsString()).contains("skipping the teardown stages needs a reason");
        j.waitUntilNoActivity();
        WorkflowJob notYet = j.jenkins.getItemByFullName(BranchJobScripts.teardownJobName("shop"), WorkflowJob.class);
        assertThat(notYet == null || notYet.getLastBuild() == null).as("no teardown build").isTrue();

        lead.getPage(new WebRequest(lead.createCrumbedUrl(teardownUrl + "&reason=cleanup+API+retired"),
                HttpMethod.POST));
        j.waitUntilNoActivity();
        WorkflowJob teardown = j.jenkins.getItemByFullName(BranchJobScripts.teardownJobName("shop"), WorkflowJob.class);
        WorkflowRun run = j.assertBuildStatusSuccess(teardown.getLastBuild());
        j.assertLogContains("Skipping the teardown stages of shop-master: cleanup API retired", run);
        j.assertLogContains("teardown stage goodbye: skipped", run);
        j.assertLogNotContains("goodbye from shop-master", run);
        EnvironmentRecord gone = store("shop").read("shop-master").orElseThrow();
        assertThat(gone.isGone()).isTrue();
        RunRecord down = gone.lastRun().orElseThrow();
        assertThat(down.command()).isEqualTo("down");
        assertThat(down.skipReason()).hasValue("cleanup API retired");
    }

    /** A teardown job an earlier Berth made, with two parameters, would drop the ones this Berth passes. */
    @Test
    public void aTeardownJobAnEarlierBerthMadeIsBroughtUpToDateBeforeItsNextBuild() throws Exception {
        BerthProject shop = deployedShop();
        WorkflowJob earlier = j.createProject(WorkflowJob.class, BranchJobScripts.teardownJobName("shop"));
        earlier.setDefinition(new CpsFlowDefinition(BranchJobScripts.EARLIER_TEARDOWNS.get(0), true));
        earlier.addProperty(new ParametersDefinitionProperty(new StringParameterDefinition("BERTH_PROJECT", ""),
                new StringParameterDefinition("BERTH_ENVIRONMENT", "")));

        TeardownJobs.schedule(shop, "shop", "shop-master", "a test", Optional.of(new SkipStages("cleanup API retired")));
        j.waitUntilNoActivity();
        WorkflowJob teardown = j.jenkins.getItemByFullName(BranchJobScripts.teardownJobName("shop"), WorkflowJob.class);
        assertThat(((CpsFlowDefinition) teardown.getDefinition()).getScript()).isEqualTo(BranchJobScripts.TEARDOWN);
        assertThat(teardown.getProperty(ParametersDefinitionProperty.class).getParameterDefinitionNames())
                .containsExactly("BERTH_PROJECT", "BERTH_ENVIRONMENT", "BERTH_SKIP_STAGES", "BERTH_SKIP_REASON");
        WorkflowRun run = j.assertBuildStatusSuccess(teardown.getLastBuild());
        j.assertLogContains("teardown stage goodbye: skipped", run);
        assertThat(store("shop").read("shop-master").orElseThrow().lastRun().orElseThrow().skipReason())
                .hasValue("cleanup API retired");
    }

    /** {@code user} starts the job with the two parameters, as Build with Parameters does; the build, ended. */
    private WorkflowRun buildWithParameters(WorkflowJob job, String user, String project, String environment)
            throws Exception {
        int next = job.getNextBuildNumber();
        JenkinsRule.WebClient client = j.createWebClient().login(user);
        client.getPage(new WebRequest(client.createCrumbedUrl(job.getUrl() + "buildWithParameters?BERTH_PROJECT="
                + project + "&BERTH_ENVIRONMENT=" + environment), HttpMethod.POST));
        for (int i = 0; i < 600 && job.getBuildByNumber(next) == null; i++) {
            Thread.sleep(100);
        }
        assertThat(job.getBuildByNumber(next)).as("the build " + user + " started").isNotNull();
        return j.waitForCompletion(job.getBuildByNumber(next));
    }
}
