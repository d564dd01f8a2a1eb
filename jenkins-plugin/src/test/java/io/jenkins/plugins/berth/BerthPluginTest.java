package io.jenkins.plugins.berth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The plugin in a real Jenkins (-Pjenkins only; this project's CI cannot fetch Jenkins; run with the Jenkins
 * that ../shared/tools/real-jenkins builds, see docs/development.md).
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

    /**
     * A stage that rewrites the walk's plan in the workspace (as a pull request's code could) stops the deploy: the next
     * step's runner finds that the plan's digest is not the one the build's program keeps, and runs nothing.
     */
    @Test
    void aStageThatRewritesThePlanStopsTheNextStep(JenkinsRule j) throws Exception {
        WorkflowRun run = deployWithATamperingStage(j, "rewrites-plan", ".berth/plans/*.json");
        j.assertLogContains("is not the plan this build made", run);
        j.assertLogNotContains("loud ran", run);
        j.assertLogNotContains("quiet ran", run);
    }

    /** A stage that rewrites the deploy file itself stops the deploy too: what would be kept is not what was planned. */
    @Test
    void aStageThatRewritesTheDeployFileStopsTheNextStep(JenkinsRule j) throws Exception {
        WorkflowRun run = deployWithATamperingStage(j, "rewrites-file", "berth.yml");
        j.assertLogContains("is not the deploy file the plan holds", run);
        j.assertLogNotContains("loud ran", run);
    }

    /**
     * A failed deploy of a file whose stage {@code tamper} turns "quiet" into "loud" in {@code files} before the stage
     * {@code after} would echo "quiet ran".
     */
    private static WorkflowRun deployWithATamperingStage(JenkinsRule j, String name, String files) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, name);
        job.setDefinition(new CpsFlowDefinition(
                "node {\n"
                + "  writeFile file: 'berth.yml', text: 'version: 1\\nproject: shop\\nstages:\\n"
                + "    - name: tamper\\n      run: sed -i s/quiet/loud/ " + files + "\\n"
                + "    - name: after\\n      run: echo quiet ran\\n'\n"
                + "  berth.deploy(branch: 'main')\n"
                + "}", true));
        return j.buildAndAssertStatus(Result.FAILURE, job);
    }

    /**
     * {@code berth.promote('staging', from: 'shop-main')}, as the docs write it, in the sandbox: Groovy hands the named
     * argument over first, and the call must reach the runner (found in a real controller: it was refused as
     * {@code invokeMethod}). The file has no image, so the runner refuses {@code --from}, which shows it got it.
     */
    @Test
    void promoteTakesFromAsANamedArgument(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "promote-from");
        job.setDefinition(new CpsFlowDefinition(
                "node {\n"
                + "  writeFile file: 'berth.yml', text: 'version: 1\\nproject: shop\\nrelease:\\n  - stage: staging\\n'\n"
                + "  berth.promote('staging', from: 'shop-main', branch: 'main')\n"
                + "}", true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogNotContains("RejectedAccessException", run);
        j.assertLogContains("--from names what the first release stage promotes", run);
    }

    /** A standalone Pipeline job offers only its own definitions: a branch's deploy file belongs to branch jobs. */
    @Test
    void theBranchJobDefinitionIsNotOfferedToAStandalonePipelineJob(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "standalone");
        java.util.List<String> offered = hudson.model.DescriptorVisibilityFilter.apply(job,
                j.jenkins.getDescriptorList(org.jenkinsci.plugins.workflow.flow.FlowDefinition.class)).stream()
                .map(d -> d.getDisplayName()).toList();
        assertTrue(offered.stream().noneMatch(name -> name.startsWith("Berth")), offered.toString());
        assertTrue(offered.stream().anyMatch(name -> name.contains("Pipeline script")), offered.toString());
        String page = j.createWebClient().goTo("job/standalone/configure").asNormalizedText();
        assertFalse(page.contains("Berth deploy file of the branch"));
    }
}
