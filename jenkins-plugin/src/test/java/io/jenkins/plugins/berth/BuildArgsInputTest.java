package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The first build of an environment whose Dockerfile needs a build argument the deploy file does not give asks for it
 * with {@code input} (the Environments page says "needs build arguments" meanwhile), goes on with the answer, and the
 * next build of the environment is not asked again. No registry runs here: the image step then fails at the
 * registry, which shows the build went past the missing argument.
 */
@WithJenkins
class BuildArgsInputTest {

    private static final String PIPELINE = "node {\n"
            + "  writeFile file: 'Dockerfile', text: 'FROM scratch\\nARG VERSION\\nCOPY app-${VERSION}.txt /app.txt\\n'\n"
            + "  writeFile file: 'app-1.2.txt', text: 'one point two\\n'\n"
            + "  writeFile file: 'berth.yml', text: 'version: 1\\nproject: shop\\nregistry: 127.0.0.1:1/shop\\n"
            + "builder: buildah\\nimages:\\n  web: { context: . }\\n'\n"
            + "  berth.deploy(branch: 'main')\n"
            + "}";

    @Test
    void theFirstBuildAsksForTheMissingArgumentAndTheNextRemembersIt(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "shop");
        job.setDefinition(new CpsFlowDefinition(PIPELINE, true));
        WorkflowRun first = job.scheduleBuild2(0).waitForStart();
        InputStepExecution input = waitForInput(first);
        assertThat(input.getInput().getMessage()).startsWith("Build arguments for environment shop-main");
        assertThat(input.getInput().getParameters()).extracting(p -> p.getName()).containsExactly("web.VERSION");

        JenkinsRule.WebClient web = j.createWebClient();
        assertThat(web.goTo("berth-environments/").asNormalizedText()).contains("needs build arguments: web.VERSION");

        input.proceed((Object) "1.2");
        j.assertBuildStatus(Result.FAILURE, j.waitForCompletion(first));
        j.assertLogContains("image web", first);
        j.assertLogContains("127.0.0.1:1", first);
        assertThat(web.goTo("berth-environments/").asNormalizedText()).doesNotContain("needs build arguments");

        WorkflowRun second = j.buildAndAssertStatus(Result.FAILURE, job);
        assertThat(second.getAction(InputAction.class) == null
                || second.getAction(InputAction.class).getExecutions().isEmpty()).isTrue();
        j.assertLogNotContains("Build arguments for environment", second);
        j.assertLogContains("image web", second);
    }

    /** A job outside the Berth folder that deploys a project cannot give that project's build arguments. */
    @Test
    void anotherJobCannotGiveTheBuildArgumentsOfAFoldersProject(JenkinsRule j) throws Exception {
        j.createProject(io.jenkins.plugins.berth.jenkins.folder.BerthProject.class, "shop-app");
        java.io.File folder = io.jenkins.plugins.berth.jenkins.hosting.BerthStates.get().projectFolder("shop");
        folder.mkdirs();
        // What BerthStates.claim notes when one of the folder's builds deploys.
        java.nio.file.Files.writeString(new java.io.File(folder, "folder.txt").toPath(), "shop-app");
        WorkflowJob job = j.createProject(WorkflowJob.class, "intruder");
        job.setDefinition(new CpsFlowDefinition("berthBuildArgs(project: 'shop', environment: 'shop-main',"
                + " parameters: ['web.BASE'], values: ['web.BASE=evil/base'])", true));
        WorkflowRun run = j.buildAndAssertStatus(Result.FAILURE, job);
        j.assertLogContains("project shop is deployed by the Berth folder shop-app: only its builds give its build"
                + " arguments", run);
        assertThat(io.jenkins.plugins.berth.jenkins.hosting.BerthStates.get().buildArgNotes("shop")
                .remembered("shop-main").isEmpty()).isTrue();
    }

    private static InputStepExecution waitForInput(WorkflowRun run) throws Exception {
        for (int i = 0; i < 1200; i++) {
            InputAction action = run.getAction(InputAction.class);
            if (action != null && !action.getExecutions().isEmpty()) {
                return action.getExecutions().get(0);
            }
            if (!run.isBuilding()) {
                throw new AssertionError("the build ended without asking: " + run.getLog());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no input in " + run);
    }
}
