package io.jenkins.plugins.berth;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import com.cloudbees.plugins.credentials.impl.UsernamePasswordCredentialsImpl;
import hudson.model.Result;
import io.jenkins.plugins.berth.jenkins.config.BerthGlobalConfiguration;
import io.jenkins.plugins.berth.jenkins.config.DeploySettings;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * The registry login of the Berth settings reaches the runner as variables the Credentials Binding plugin binds, not
 * through {@code docker login} (no docker command here: the build would fail), and no stage sees it: the password is
 * in no output, as is nor base64-encoded.
 */
@WithJenkins
class RegistryLoginTest {

    private static final String PASSWORD = "s3cr3t-Registry-P4ss";

    @Test
    void theFoldersRegistryLoginReachesTheRunnerAndNoStage(JenkinsRule j) throws Exception {
        SystemCredentialsProvider.getInstance().getCredentials().add(new UsernamePasswordCredentialsImpl(
                CredentialsScope.GLOBAL, "ci-registry", "", "ci", PASSWORD));
        DeploySettings defaults = new DeploySettings();
        defaults.setRegistry("127.0.0.1:5999");
        defaults.setRegistryCredentialsId("ci-registry");
        BerthGlobalConfiguration.get().setDefaults(defaults);
        WorkflowJob job = j.createProject(WorkflowJob.class, "login");
        job.setDefinition(new CpsFlowDefinition(
                "node {\n"
                + "  writeFile file: 'berth.yml', text: 'version: 1\\nproject: shop\\nstages:\\n"
                + "    - name: look\\n      run: echo \"host=${BERTH_REGISTRY_HOST:-none}"
                + " user=${BERTH_REGISTRY_USERNAME:-none} password=${BERTH_REGISTRY_PASSWORD:-none}\"\\n'\n"
                + "  berth.deploy(branch: 'main')\n"
                + "}", true));
        WorkflowRun run = j.buildAndAssertStatus(Result.SUCCESS, job);
        j.assertLogContains("user=none password=none", run);
        j.assertLogNotContains(PASSWORD, run);
        j.assertLogNotContains(Base64.getEncoder().encodeToString(PASSWORD.getBytes(StandardCharsets.UTF_8)), run);
        j.assertLogNotContains(Base64.getEncoder().encodeToString(("ci:" + PASSWORD).getBytes(StandardCharsets.UTF_8)),
                run);
        j.assertLogNotContains("docker login", run);
    }
}
