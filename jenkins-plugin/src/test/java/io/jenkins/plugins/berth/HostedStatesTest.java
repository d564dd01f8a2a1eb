package io.jenkins.plugins.berth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.berth.jenkins.config.BerthGlobalConfiguration;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.terraform.StateScope;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;
import org.jenkinsci.plugins.workflow.cps.CpsFlowDefinition;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.junit.jupiter.WithJenkins;

/**
 * Jenkins-hosted Terraform states, the environment records a deploy leaves on the controller, and the
 * Environments page (-Pjenkins only; written against the real API, not run on this project's CI).
 */
@WithJenkins
class HostedStatesTest {

    private static HttpResponse<String> get(JenkinsRule j, String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(j.getURL() + path));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theStateEndpointAnswersOnlyABuildsTokenForItsProject(JenkinsRule j) throws Exception {
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy());
        String token = BerthStates.get().tokens().issue("shop#1",
                new StateScope("shop", "shop-main", StateScope.SharedAccess.WRITE));

        assertEquals(401, get(j, "berth-state/shop/app/shop-main", null, null).statusCode());
        assertEquals(401, get(j, "berth-state/shop/app/shop-main", "berth", "wrong").statusCode());
        assertEquals(204, get(j, "berth-state/shop/app/shop-main", "berth", token).statusCode());
        assertEquals(403, get(j, "berth-state/blog/app/blog-main", "berth", token).statusCode());
        // The token is no Jenkins password: elsewhere Jenkins turns it away.
        assertEquals(401, get(j, "api/json", "berth", token).statusCode());

        BerthStates.get().tokens().revoke("shop#1");
        assertEquals(401, get(j, "berth-state/shop/app/shop-main", "berth", token).statusCode());
    }

    /**
     * A pull request's token, for its own environment, cannot touch main's state, and reads the shared stacks'
     * only when that is all it was granted; what was refused is unchanged.
     */
    @Test
    void aTokenUsedAgainstAnotherEnvironmentsStateIsRefused(JenkinsRule j) throws Exception {
        String main = BerthStates.get().tokens().issue("shop#1",
                new StateScope("shop", "shop-main", StateScope.SharedAccess.WRITE));
        String pullRequest = BerthStates.get().tokens().issue("shop#2",
                new StateScope("shop", "shop-pr-1", StateScope.SharedAccess.READ));
        HttpClient http = HttpClient.newHttpClient();
        for (String key : new String[] {"shop/app/shop-main", "shop/db/_shared"}) {
            HttpResponse<String> saved = http.send(HttpRequest.newBuilder(URI.create(j.getURL() + "berth-state/" + key))
                    .header("Authorization", basic(main)).POST(HttpRequest.BodyPublishers.ofString("{\"serial\":1}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, saved.statusCode(), saved.body());
        }

        assertEquals(204, get(j, "berth-state/shop/app/shop-pr-1", "berth", pullRequest).statusCode());
        HttpResponse<String> mainState = get(j, "berth-state/shop/app/shop-main", "berth", pullRequest);
        assertEquals(403, mainState.statusCode());
        assertFalse(mainState.body().contains("serial"), mainState.body());
        assertEquals(200, get(j, "berth-state/shop/db/_shared", "berth", pullRequest).statusCode());
        for (String key : new String[] {"shop/app/shop-main", "shop/db/_shared"}) {
            HttpResponse<String> overwrite = http.send(HttpRequest.newBuilder(URI.create(j.getURL() + "berth-state/" + key))
                    .header("Authorization", basic(pullRequest)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, overwrite.statusCode(), key);
            File state = new File(j.jenkins.getRootDir(), "berth/terraform-states/" + key + "/terraform.tfstate");
            assertEquals("{\"serial\":1}", Files.readString(state.toPath()), key);
        }
    }

    /**
     * A POST that declares a terabyte and has no token is answered 401 at once, before it sends a byte of its
     * body: the endpoint reads none of it.
     */
    @Test
    void anUnauthenticatedOversizedPostIsRefusedWith401(JenkinsRule j) throws Exception {
        URI url = j.getURL().toURI().resolve("berth-state/shop/app/shop-main");
        try (java.net.Socket socket = new java.net.Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ":"
                    + url.getPort() + "\r\nContent-Type: application/json\r\nContent-Length: 1099511627776\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            java.io.InputStream in = socket.getInputStream();
            StringBuilder statusLine = new StringBuilder();
            for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
                statusLine.append((char) c);
            }
            assertTrue(statusLine.toString().startsWith("HTTP/1.1 401"), statusLine.toString());
        }
        assertFalse(new File(j.jenkins.getRootDir(), "berth/terraform-states/shop/app/shop-main").exists());
    }

    private static String basic(String token) {
        return "Basic " + Base64.getEncoder().encodeToString(("berth:" + token).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A stack through real OpenTofu (scripts/install-tools puts it in .tools/bin), deployed by a Berth folder's
     * branch job from the deploy file and infrastructure committed on master: its state is locked, saved and read
     * back through Jenkins' endpoint, with the build's token, and a second deploy changes nothing.
     */
    @Test
    void aStacksStateLivesInJenkinsThroughTerraform(JenkinsRule j, @TempDir File folder) throws Exception {
        // The branch job's script is Berth's own: OpenTofu comes from the node's PATH.
        BerthFolders.tofuOnThePath(j);
        LocalGitRepository repo = LocalGitRepository.in(folder);
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\ninfrastructure:\n"
                + "  - name: app\n    dir: infra\n    outputs: { APP_URL: url }\n    url: APP_URL\nstages:\n"
                + "  - name: hello\n    run: echo \"url is $APP_URL\"\n");
        repo.write("infra/main.tf", "resource \"terraform_data\" \"app\" { input = \"x\" }\n"
                + "output \"url\" { value = \"http://127.0.0.1:9/${terraform_data.app.id}\" }\n");
        repo.git("add", ".");
        repo.git("commit", "--message=deploy file and infrastructure");
        io.jenkins.plugins.berth.jenkins.folder.BerthProject shop =
                BerthFolders.create(j, "shop", BerthFolders.gitSource(repo));
        j.waitUntilNoActivity();
        WorkflowJob job = shop.getItem("master");
        WorkflowRun first = j.assertBuildStatusSuccess(job.getLastBuild());
        j.assertLogContains("url is http://127.0.0.1:9/", first);
        File state = new File(j.jenkins.getRootDir(), "berth/terraform-states/shop/app/shop-master/terraform.tfstate");
        assertTrue(state.isFile(), "the state is kept on the controller");
        assertTrue(Files.readString(state.toPath()).contains("terraform_data"));
        assertFalse(new File(state.getParentFile(), "lock.json").exists(), "no lock is left behind");
        assertFalse(j.jenkins.getWorkspaceFor(job).child(".berth/state/terraform/states").exists(),
                "no state in the workspace");

        WorkflowRun second = j.buildAndAssertSuccess(job);
        j.assertLogContains("no changes, apply skipped", second);
        for (WorkflowRun run : java.util.List.of(first, second)) {
            j.assertLogNotContains("TF_HTTP_PASSWORD=", run);
        }
    }

    /**
     * The teardown job destroys what a gone branch's deploy applied: the stack's state on the controller ends empty.
     * The controller keeps the stack's work folder (its sources, with the trusted deploy file beside them) at
     * the branch's deploy, and the teardown job, on any agent, destroys from it.
     */
    @Test
    void theTeardownJobDestroysTheStackOfAGoneBranch(JenkinsRule j, @TempDir File folder) throws Exception {
        BerthFolders.tofuOnThePath(j);
        LocalGitRepository repo = LocalGitRepository.in(folder);
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\ninfrastructure:\n  - name: app\n    dir: infra\n");
        repo.write("infra/main.tf", "resource \"terraform_data\" \"app\" { input = \"x\" }\n");
        repo.git("add", ".");
        repo.git("commit", "--message=deploy file and infrastructure");
        repo.git("checkout", "-b", "feature");
        repo.git("commit", "--allow-empty", "--message=feature");
        repo.git("checkout", "master");
        io.jenkins.plugins.berth.jenkins.folder.BerthProject shop =
                BerthFolders.create(j, "shop", BerthFolders.gitSource(repo));
        j.waitUntilNoActivity();
        j.assertBuildStatusSuccess(shop.getItem("feature").getLastBuild());
        File state = new File(j.jenkins.getRootDir(), "berth/terraform-states/shop/app/shop-feature/terraform.tfstate");
        assertTrue(Files.readString(state.toPath()).contains("terraform_data"), "the feature's stack was applied");

        repo.git("branch", "-D", "feature");
        BerthFolders.reindex(j, shop);
        WorkflowRun teardown = j.assertBuildStatusSuccess(j.jenkins.getItemByFullName("shop-teardown", WorkflowJob.class)
                .getLastBuild());
        j.assertLogContains("stack app: destroying", teardown);
        assertFalse(Files.readString(state.toPath()).contains("terraform_data"), "the stack was destroyed");
    }

    /** Terraform saves and locks with POST and LOCK, and cannot fetch a CSRF crumb: the endpoint needs none. */
    @Test
    void terraformSavesAStateWithItsTokenAndNoCrumb(JenkinsRule j) throws Exception {
        assertTrue(j.jenkins.getCrumbIssuer() != null, "CSRF protection is on, as on every Jenkins");
        String token = BerthStates.get().tokens().issue("shop#1",
                new StateScope("shop", "shop-main", StateScope.SharedAccess.WRITE));
        String auth = "Basic " + Base64.getEncoder().encodeToString(("berth:" + token).getBytes(StandardCharsets.UTF_8));
        URI state = URI.create(j.getURL() + "berth-state/shop/app/shop-main");
        String lock = "{\"ID\":\"lock-1\",\"Operation\":\"OperationTypeApply\",\"Who\":\"tofu\"}";
        HttpClient http = HttpClient.newHttpClient();
        assertEquals(200, http.send(HttpRequest.newBuilder(state).header("Authorization", auth)
                .method("LOCK", HttpRequest.BodyPublishers.ofString(lock)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> saved = http.send(HttpRequest.newBuilder(URI.create(state + "?ID=lock-1"))
                .header("Authorization", auth).POST(HttpRequest.BodyPublishers.ofString("{\"version\":4,\"serial\":1}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, saved.statusCode(), saved.body());
        HttpResponse<String> read = http.send(HttpRequest.newBuilder(state).header("Authorization", auth).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, read.statusCode());
        assertTrue(read.body().contains("\"serial\":1"), read.body());
        // Without the token the crumb exclusion lets nothing through: the endpoint refuses it.
        assertEquals(401, http.send(HttpRequest.newBuilder(state).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aDeployLeavesItsRecordOnTheControllerAndNoTokenInTheLog(JenkinsRule j, @TempDir File folder) throws Exception {
        LocalGitRepository repo = LocalGitRepository.in(folder);
        repo.init();
        repo.write("berth.yml", "version: 1\nproject: shop\nstages:\n"
                + "  - name: hello\n    run: echo \"state at [${BERTH_STATE_URL-}] token [${TF_HTTP_PASSWORD-}]\"\n");
        repo.git("add", ".");
        repo.git("commit", "--message=deploy file");
        io.jenkins.plugins.berth.jenkins.folder.BerthProject shop =
                BerthFolders.create(j, "shop", BerthFolders.gitSource(repo));
        j.waitUntilNoActivity();
        WorkflowRun run = j.assertBuildStatusSuccess(shop.getItem("master").getLastBuild());
        // The runner gives the state address and token to Terraform alone: the stage sees neither.
        j.assertLogContains("state at [] token []", run);
        j.assertLogNotContains("TF_HTTP_PASSWORD=", run);
        File record = new File(j.jenkins.getRootDir(), "berth/projects/shop/shop-master.json");
        assertTrue(record.isFile(), "the record is kept on the controller");
        assertTrue(Files.readString(record.toPath()).contains(run.getAbsoluteUrl()), "the record names the build");
        assertEquals("shop", Files.readString(new File(record.getParentFile(), "folder.txt").toPath()),
                "the folder claimed the project");
        // Every token was revoked when the body ended.
        assertFalse(BerthStates.get().tokens().revoke("anything") > 0);
    }

    /** A plain Pipeline job is no Berth folder's: its deploy keeps its record in the workspace and says why. */
    @Test
    void aPlainPipelineJobsDeployLeavesNoRecordOnTheController(JenkinsRule j) throws Exception {
        WorkflowJob job = j.createProject(WorkflowJob.class, "shop");
        job.setDefinition(new CpsFlowDefinition(
                "node {\n"
                + "  writeFile file: 'berth.yml', text: 'version: 1\\nproject: shop\\nstages:\\n"
                + "    - name: hello\\n      run: echo \"state at ${BERTH_STATE_URL:-the workspace}\"\\n'\n"
                + "  berth.deploy(branch: 'main')\n"
                + "}", true));
        WorkflowRun run = j.buildAndAssertSuccess(job);
        j.assertLogContains("berth: shop is not a job of a multibranch folder, so its Terraform states and records"
                + " stay in this workspace", run);
        j.assertLogContains("state at the workspace", run);
        assertFalse(new File(j.jenkins.getRootDir(), "berth/projects/shop").exists(), "nothing on the controller");
        assertTrue(j.jenkins.getWorkspaceFor(job).child(".berth/state/shop-main.json").exists(),
                "the record is in the workspace");
    }

    @Test
    void theFolderEnvironmentsPageActsOnlyByPostWithTheFoldersPermission(JenkinsRule j) throws Exception {
        io.jenkins.plugins.berth.jenkins.folder.BerthProject project =
                j.createProject(io.jenkins.plugins.berth.jenkins.folder.BerthProject.class, "shop-app");
        // The folder's first indexing reaps when it ends: let it end before the record exists (its branch main has no
        // job here, so a reaping would schedule its teardown).
        j.waitUntilNoActivity();
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(jenkins.model.Jenkins.ADMINISTER).everywhere().to("admin")
                .grant(jenkins.model.Jenkins.READ, hudson.model.Item.READ).everywhere().to("dev", "lead")
                .grant(hudson.model.Item.CONFIGURE).onItems(project).to("lead"));
        File folder = BerthStates.get().projectFolder("shop");
        folder.mkdirs();
        // What BerthStates.claim notes when one of the folder's builds deploys.
        Files.writeString(new File(folder, "folder.txt").toPath(), "shop-app");
        io.jenkins.plugins.berth.environments.DirectoryStateStore store =
                new io.jenkins.plugins.berth.environments.DirectoryStateStore(folder.toPath());
        // Written pinned, so that the periodic reaper, should it run meanwhile, leaves it alone until the test unpins it.
        store.write(io.jenkins.plugins.berth.environments.EnvironmentRecord.create("shop-main", "shop", "main",
                io.jenkins.plugins.berth.environments.EnvironmentKind.BRANCH, true, java.time.Instant.now()));

        JenkinsRule.WebClient dev = j.createWebClient().login("dev");
        j.assertStringContains(dev.goTo("job/shop-app/environments/").asNormalizedText(), "shop-main");
        dev.assertFails("berth-environments/", 403);
        dev.setThrowExceptionOnFailingStatusCode(false);
        assertEquals(403, dev.getPage(post(dev, "job/shop-app/environments/pin")).getWebResponse().getStatusCode());

        JenkinsRule.WebClient lead = j.createWebClient().login("lead");
        lead.setThrowExceptionOnFailingStatusCode(false);
        // The actions are @POST web methods: Stapler routes no GET to them (404, not 405 as @RequirePOST gives).
        assertEquals(404, lead.goTo("job/shop-app/environments/pin?project=shop&environment=shop-main")
                .getWebResponse().getStatusCode());
        assertEquals(200, lead.getPage(post(lead, "job/shop-app/environments/unpin")).getWebResponse().getStatusCode());
        assertFalse(store.read("shop-main").orElseThrow().isProtected());
        org.htmlunit.WebResponse pinned = lead.getPage(post(lead, "job/shop-app/environments/pin")).getWebResponse();
        assertEquals(200, pinned.getStatusCode(), pinned.getContentAsString());
        assertTrue(store.read("shop-main").orElseThrow().isProtected());
        // A pinned environment is not torn down from the page.
        assertEquals(409, lead.getPage(post(lead, "job/shop-app/environments/teardown")).getWebResponse()
                .getStatusCode());
        assertEquals(null, j.jenkins.getItem("shop-app-teardown"));
        // Unpinned, lead may tear it down: Berth creates the teardown job itself, beside the folder, though
        // lead may not create jobs there.
        assertEquals(200, lead.getPage(post(lead, "job/shop-app/environments/unpin")).getWebResponse().getStatusCode());
        WebResponse teardown = lead.getPage(post(lead, "job/shop-app/environments/teardown")).getWebResponse();
        assertEquals(200, teardown.getStatusCode(), teardown.getContentAsString());
        assertTrue(j.jenkins.getItem("shop-app-teardown") != null, "the teardown job was created");
        // Its build takes the environment's turn: let it end here, not in the next test's Jenkins.
        j.waitUntilNoActivity();

        JenkinsRule.WebClient admin = j.createWebClient().login("admin");
        j.assertStringContains(admin.goTo("berth-environments/").asNormalizedText(), "shop-main");
    }

    private static WebRequest post(JenkinsRule.WebClient client, String path) throws Exception {
        WebRequest request = new WebRequest(client.createCrumbedUrl(path), HttpMethod.POST);
        request.setRequestParameters(java.util.List.of(new org.htmlunit.util.NameValuePair("project", "shop"),
                new org.htmlunit.util.NameValuePair("environment", "shop-main")));
        return request;
    }

    @Test
    void theGlobalConfigurationSurvivesTheForm(JenkinsRule j) throws Exception {
        BerthGlobalConfiguration.get().setKeptStateVersions(4);
        io.jenkins.plugins.berth.jenkins.config.DeploySettings defaults = new io.jenkins.plugins.berth.jenkins.config.DeploySettings();
        defaults.setRegistry("registry.example.com");
        defaults.setRegistryCredentialsId("ci-registry");
        BerthGlobalConfiguration.get().setDefaults(defaults);
        j.configRoundtrip();
        assertEquals(4, BerthGlobalConfiguration.get().getKeptStateVersions());
        assertEquals("registry.example.com", BerthGlobalConfiguration.get().getDefaults().getRegistry());
        assertEquals("ci-registry", BerthGlobalConfiguration.get().getDefaults().getRegistryCredentialsId());
        assertTrue(BerthGlobalConfiguration.get().getDefaults().defaults().hostStates());
    }
}
