package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import io.jenkins.plugins.berth.jenkins.folder.BerthBranchProjectFactory;
import io.jenkins.plugins.berth.jenkins.folder.BerthFlowDefinition;
import io.jenkins.plugins.berth.jenkins.folder.BerthProject;
import jenkins.branch.BranchSource;
import jenkins.plugins.git.GitSCMSource;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;

/**
 * The folder type and the orphan hook in a real Jenkins (-Pjenkins only: JenkinsRule needs the Jenkins
 * repository, which this machine cannot reach).
 */
public class BerthProjectTest {

    @Rule public JenkinsRule j = new JenkinsRule();
    @Rule public LocalGitRepository repo = new LocalGitRepository();

    @Test
    public void branchesWithTheDeployFileGetBerthJobsAndEachDeploysItsOwnEnvironment() throws Exception {
        // The branch jobs check the local repository out on the controller, which the git plugin refuses by default.
        hudson.plugins.git.GitSCM.ALLOW_LOCAL_CHECKOUT = true;
        repo.init();
        repo.write("berth.yml", "version: 1\nstages:\n  - name: hello\n    run: echo \"hello from $BERTH_ENVIRONMENT\"\n");
        repo.git("add", "berth.yml");
        repo.git("commit", "--message=deploy file");
        repo.git("checkout", "-b", "feature");
        repo.git("commit", "--allow-empty", "--message=feature");
        repo.git("checkout", "-b", "nofile");
        repo.git("rm", "berth.yml");
        repo.git("commit", "--message=no deploy file");
        BerthProject folder = j.jenkins.createProject(BerthProject.class, "shop");
        folder.getSourcesList().add(new BranchSource(source()));
        folder.scheduleBuild2(0).getFuture().get();
        j.waitUntilNoActivity();
        assertThat(folder.getProjectFactory()).isInstanceOf(BerthBranchProjectFactory.class);
        assertThat(folder.getItem("nofile")).isNull();
        for (String branch : java.util.List.of("master", "feature")) {
            WorkflowJob job = folder.getItem(branch);
            assertThat(job).as(branch).isNotNull();
            assertThat(job.getDefinition()).isInstanceOf(BerthFlowDefinition.class);
            // The file names no project: it is the multibranch project's, the same on every branch.
            j.assertLogContains("hello from shop-" + branch, j.assertBuildStatusSuccess(job.getLastBuild()));
            assertThat(new java.io.File(io.jenkins.plugins.berth.jenkins.hosting.BerthStates.get().projectFolder("shop"),
                    "shop-" + branch + ".json")).as("the record of " + branch + " on the controller").isFile();
        }
    }

    /** A Berth folder "shop" indexed over a repository with the deploy file on master and a feature branch. */
    private BerthProject indexedWithAFeatureBranch() throws Exception {
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\n");
        repo.git("add", "berth.yml");
        repo.git("commit", "--message=deploy file");
        repo.git("checkout", "-b", "feature");
        repo.git("commit", "--allow-empty", "--message=feature");
        BerthProject folder = j.jenkins.createProject(BerthProject.class, "shop");
        folder.getSourcesList().add(new BranchSource(source()));
        folder.scheduleBuild2(0).getFuture().get();
        j.waitUntilNoActivity();
        return folder;
    }

    /** The plain git branch source over the local repository, discovering its branches. */
    private GitSCMSource source() {
        GitSCMSource source = new GitSCMSource(repo.toString());
        source.setTraits(java.util.List.of(new jenkins.plugins.git.traits.BranchDiscoveryTrait()));
        return source;
    }

    @Test
    public void aDeletedBranchTearsItsEnvironmentDownOnce() throws Exception {
        BerthProject folder = indexedWithAFeatureBranch();
        // The feature branch's environment, as its deploy would have recorded it for this folder.
        java.io.File project = io.jenkins.plugins.berth.jenkins.hosting.BerthStates.get().projectFolder("shop");
        project.mkdirs();
        java.nio.file.Files.writeString(new java.io.File(project, "folder.txt").toPath(), "shop");
        new io.jenkins.plugins.berth.environments.DirectoryStateStore(project.toPath()).write(
                io.jenkins.plugins.berth.environments.EnvironmentRecord.create("shop-feature", "shop", "feature",
                        io.jenkins.plugins.berth.environments.EnvironmentKind.BRANCH, false, java.time.Instant.now()));

        repo.git("checkout", "master");
        repo.git("branch", "-D", "feature");
        folder.scheduleBuild2(0).getFuture().get();
        j.waitUntilNoActivity();

        assertThat(folder.getItem("feature")).isNull();
        WorkflowJob teardown = j.jenkins.getItemByFullName(BranchJobScripts.teardownJobName("shop"), WorkflowJob.class);
        assertThat(teardown).as("the teardown job").isNotNull();
        // Indexing marked the branch dead (one teardown); pruning its job then must not schedule a second.
        assertThat(teardown.getBuilds()).hasSize(1);
    }

    @Test
    public void aGoneBranchSchedulesItsFoldersTeardownJob() throws Exception {
        BerthProject folder = indexedWithAFeatureBranch();
        repo.git("checkout", "master");
        repo.git("branch", "-D", "feature");
        folder.scheduleBuild2(0).getFuture().get();
        j.waitUntilNoActivity();
        assertThat(folder.getItem("feature")).isNull();
        // No environment was recorded (the branch job had no agent to deploy on), so none is due; the
        // hook ran without creating a teardown job for nothing.
        assertThat(j.jenkins.getItem(BranchJobScripts.teardownJobName("shop"))).isNull();
    }

    @Test
    public void aNearerFoldersDefaultsWinOverOuterOnesAndJenkins() throws Exception {
        io.jenkins.plugins.berth.jenkins.config.DeploySettings global = new io.jenkins.plugins.berth.jenkins.config.DeploySettings();
        global.setAgentLabel("any-linux");
        global.setTtl("7d");
        io.jenkins.plugins.berth.jenkins.config.BerthGlobalConfiguration.get().setDefaults(global);
        com.cloudbees.hudson.plugins.folder.Folder team = j.jenkins.createProject(
                com.cloudbees.hudson.plugins.folder.Folder.class, "team");
        io.jenkins.plugins.berth.jenkins.config.DeploySettings teamSettings = new io.jenkins.plugins.berth.jenkins.config.DeploySettings();
        teamSettings.setTtl("3d");
        teamSettings.setCloudCredentials("aws team-aws");
        team.addProperty(new io.jenkins.plugins.berth.jenkins.config.BerthFolderProperty(teamSettings));
        WorkflowJob job = team.createProject(WorkflowJob.class, "reader");
        job.setDefinition(new org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition(
                "def d = berthDefaults()\necho \"label=${d.agentLabel} ttl=${d.ttl} cloud=${d.cloudCredentials[0].credentialsId}\"", true));
        j.assertLogContains("label=any-linux ttl=3d cloud=team-aws", j.buildAndAssertSuccess(job));
        // The form keeps what was set, and refuses what core cannot read.
        j.configRoundtrip(team);
        assertThat(team.getProperties().get(io.jenkins.plugins.berth.jenkins.config.BerthFolderProperty.class)
                .getSettings().getTtl()).isEqualTo("3d");
        org.junit.Assert.assertThrows(IllegalArgumentException.class, () -> teamSettings.setTtl("three days"));
        assertThat(teamSettings.getTtl()).isEqualTo("3d");
    }
}
