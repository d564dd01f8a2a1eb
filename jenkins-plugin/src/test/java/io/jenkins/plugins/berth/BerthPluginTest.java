package io.jenkins.plugins.berth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The plugin in a real Jenkins (-Pjenkins only; this project's CI cannot fetch Jenkins). Written
 * against the real API; not run here.
 */
@WithJenkins
class BerthPluginTest {

    @Test
    void theStepsAreRegistered(JenkinsRule j) {
        for (String name : new String[] {"berthPlan", "berthEnvironment", "berthStageVariables"}) {
            assertNotNull(StepDescriptor.byFunctionName(name), name);
        }
    }

    @Test
    void aJenkinsfileDeploysAOneStageFile(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "shop");
        job.setDefinition(new CpsFlowDefinition(
                "node {\n"
                + "  writeFile file: 'berth.yml', text: 'version: 1\\nproject: shop\\nstages:\\n"
                + "    - name: hello\\n      run: echo \"hello from $BERTH_ENVIRONMENT\"\\n'\n"
                + "  berth.deploy(branch: 'main')\n"
                + "}", true));
        WorkflowRun run = j.buildAndAssertSuccess(job);
        j.assertLogContains("hello from shop-main", run);
        j.assertLogContains("[Pipeline] stage", run);
    }

    @Test
    void aBrokenDeployFileFailsWithEveryProblem(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "broken");
        job.setDefinition(new CpsFlowDefinition(
                "node {\n"
                + "  writeFile file: 'berth.yml', text: 'version: 1\\nstages:\\n  - nme: x\\n'\n"
                + "  berth.deploy(branch: 'main')\n"
                + "}", true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("berth.yml:3:", run);
        assertEquals(Result.FAILURE, run.getResult());
    }
}
