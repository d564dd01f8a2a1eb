package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import java.io.File;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Step arguments that name environments and projects are checked when the step is created (-Pjenkins only): a name
 * that could leave {@code $JENKINS_HOME/berth/projects} fails the build before anything is made.
 */
@WithJenkins
class HostileNamesTest {

    @Test
    void anEnvironmentOrProjectThatIsNoDnsLabelFailsTheBuildAndCreatesNothing(JenkinsRule j) throws Exception {
        String[] scripts = {
            "node { berthEnvironment(environment: '..') { echo 'body ran' } }",
            "node { berthEnvironment(environment: 'shop-main', project: '*') { echo 'body ran' } }",
            "node { berthEnvironment(environment: 'shop-main', project: '../../secrets') { echo 'body ran' } }",
            "node { berthKeptCredentials(environment: '../shop-main', project: 'shop') }",
            "node { berthDefaults(project: 'shop/../..') }",
        };
        for (int i = 0; i < scripts.length; i++) {
            WorkflowJob job = j.createProject(WorkflowJob.class, "hostile-" + i);
            job.setDefinition(new CpsFlowDefinition(scripts[i], true));
            WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
            j.assertLogContains("is not a DNS label", run);
            j.assertLogNotContains("body ran", run);
        }
        File projects = new File(j.jenkins.getRootDir(), "berth/projects");
        assertThat(projects.list()).as("what was made under " + projects).isNullOrEmpty();
    }
}
