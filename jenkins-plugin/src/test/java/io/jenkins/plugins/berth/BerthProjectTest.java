package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import io.jenkins.plugins.berth.branchjobs.BranchJobScripts;
import io.jenkins.plugins.berth.project.BerthBranchProjectFactory;
import io.jenkins.plugins.berth.project.BerthFlowDefinition;
import io.jenkins.plugins.berth.project.BerthProject;
import jenkins.branch.BranchSource;
import jenkins.plugins.git.GitSCMSource;
import jenkins.plugins.git.GitSampleRepoRule;
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
    @Rule public GitSampleRepoRule repo = new GitSampleRepoRule();

    @Test
    public void branchesWithTheDeployFileGetBerthJobs() throws Exception {
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\n");
        repo.git("add", "berth.yml");
        repo.git("commit", "--message=deploy file");
        repo.git("checkout", "-b", "nofile");
        repo.git("rm", "berth.yml");
        repo.git("commit", "--message=no deploy file");
        BerthProject folder = j.jenkins.createProject(BerthProject.class, "shop");
        folder.getSourcesList().add(new BranchSource(new GitSCMSource(null, repo.toString(), "", "*", "", false)));
        folder.scheduleBuild2(0).getFuture().get();
        j.waitUntilNoActivity();
        assertThat(folder.getProjectFactory()).isInstanceOf(BerthBranchProjectFactory.class);
        WorkflowJob main = folder.getItem("master");
        assertThat(main).isNotNull();
        assertThat(main.getDefinition()).isInstanceOf(BerthFlowDefinition.class);
        assertThat(folder.getItem("nofile")).isNull();
    }

    @Test
    public void aGoneBranchSchedulesItsFoldersTeardownJob() throws Exception {
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\n");
        repo.git("add", "berth.yml");
        repo.git("commit", "--message=deploy file");
        repo.git("checkout", "-b", "feature");
        repo.git("commit", "--allow-empty", "--message=feature");
        BerthProject folder = j.jenkins.createProject(BerthProject.class, "shop");
        folder.getSourcesList().add(new BranchSource(new GitSCMSource(null, repo.toString(), "", "*", "", false)));
        folder.scheduleBuild2(0).getFuture().get();
        j.waitUntilNoActivity();
        repo.git("checkout", "master");
        repo.git("branch", "-D", "feature");
        folder.scheduleBuild2(0).getFuture().get();
        j.waitUntilNoActivity();
        assertThat(folder.getItem("feature")).isNull();
        // No environment was recorded (the branch job had no agent to deploy on), so none is due; the
        // hook ran without creating a teardown job for nothing.
        assertThat(j.jenkins.getItem(BranchJobScripts.teardownJobName("shop"))).isNull();
    }
}
