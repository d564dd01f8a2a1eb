package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsSessionRule;

/**
 * Deploys of one environment take turns, also across a controller restart and a user abort (-Pjenkins
 * only): berthEnvironment's execution keeps its body and whether it began with the saved program.
 */
public class DeployTurnsTest {

    @Rule public JenkinsSessionRule sessions = new JenkinsSessionRule();

    private static final String HOLDER = "node {\n"
            + "  berthEnvironment(environment: 'shop-main') {\n"
            + "    echo 'A holds shop-main'\n"
            + "    waitUntil { fileExists 'go' }\n"
            + "    echo 'A done'\n"
            + "  }\n"
            + "}";
    private static final String WAITER = "node {\n"
            + "  berthEnvironment(environment: 'shop-main') { echo 'B ran' }\n"
            + "}";

    @Test
    public void aDeployThatWaitedBeforeARestartRunsAfterTheHolderAndNotBefore() throws Throwable {
        sessions.then(j -> {
            holderAndWaiter(j);
        });
        sessions.then(j -> {
            WorkflowRun holder = j.jenkins.getItemByFullName("a", WorkflowJob.class).getBuildByNumber(1);
            WorkflowRun waiter = j.jenkins.getItemByFullName("b", WorkflowJob.class).getBuildByNumber(1);
            Thread.sleep(3000);
            assertThat(holder.isBuilding()).isTrue();
            assertThat(waiter.isBuilding()).isTrue();
            assertThat(waiter.getLog()).as("the waiting deploy must not take the holder's turn").doesNotContain("B ran");
            j.jenkins.getWorkspaceFor(j.jenkins.getItemByFullName("a", WorkflowJob.class)).child("go").write("", "UTF-8");
            j.assertBuildStatusSuccess(j.waitForCompletion(holder));
            j.assertBuildStatusSuccess(j.waitForCompletion(waiter));
            j.assertLogContains("B ran", waiter);
        });
    }

    @Test
    public void anAbortedHolderHandsTheEnvironmentOn() throws Throwable {
        sessions.then(j -> {
            WorkflowRun[] runs = holderAndWaiter(j);
            WorkflowRun holder = runs[0];
            WorkflowRun waiter = runs[1];
            holder.doStop();
            j.assertBuildStatus(Result.ABORTED, j.waitForCompletion(holder));
            j.assertLogNotContains("A done", holder);
            j.assertBuildStatusSuccess(j.waitForCompletion(waiter));
            j.assertLogContains("B ran", waiter);
        });
    }

    /** Build a holds shop-main (until a file 'go' appears in its workspace), build b waits for it. */
    private static WorkflowRun[] holderAndWaiter(org.jvnet.hudson.test.JenkinsRule j) throws Exception {
        j.jenkins.setNumExecutors(2);
        WorkflowJob a = j.createProject(WorkflowJob.class, "a");
        a.setDefinition(new CpsFlowDefinition(HOLDER, true));
        WorkflowJob b = j.createProject(WorkflowJob.class, "b");
        b.setDefinition(new CpsFlowDefinition(WAITER, true));
        WorkflowRun holder = a.scheduleBuild2(0).waitForStart();
        j.waitForMessage("A holds shop-main", holder);
        WorkflowRun waiter = b.scheduleBuild2(0).waitForStart();
        j.waitForMessage("berth: waiting for the deploy that holds shop-main to finish", waiter);
        return new WorkflowRun[] {holder, waiter};
    }
}
