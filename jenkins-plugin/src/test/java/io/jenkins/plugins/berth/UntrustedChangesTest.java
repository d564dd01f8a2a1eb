package io.jenkins.plugins.berth;

import static org.assertj.core.api.Assertions.assertThat;

import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.SystemCredentialsProvider;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.model.Job;
import hudson.model.Result;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.scm.SCM;
import hudson.util.Secret;
import io.jenkins.plugins.berth.jenkins.config.DeploySettings;
import io.jenkins.plugins.berth.jenkins.folder.BerthProject;
import io.jenkins.plugins.berth.jenkins.hosting.BerthStates;
import io.jenkins.plugins.berth.jenkins.pages.BerthPermissions;
import io.jenkins.plugins.berth.pipeline.BranchJobScripts;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jenkins.plugins.git.GitBranchSCMHead;
import jenkins.plugins.git.GitSCMSource;
import jenkins.plugins.git.traits.BranchDiscoveryTrait;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.SCMHeadEvent;
import jenkins.scm.api.SCMHeadObserver;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMSourceCriteria;
import jenkins.scm.api.SCMSourceDescriptor;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;
import org.htmlunit.HttpMethod;
import org.htmlunit.WebRequest;
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl;
import org.jenkinsci.plugins.workflow.job.WorkflowJob;
import org.jenkinsci.plugins.workflow.job.WorkflowRun;
import org.jenkinsci.plugins.workflow.support.steps.input.InputAction;
import org.jenkinsci.plugins.workflow.support.steps.input.InputStepExecution;
import org.junit.Rule;
import org.junit.Test;
import org.jvnet.hudson.test.JenkinsRule;
import org.jvnet.hudson.test.MockAuthorizationStrategy;
import org.jvnet.hudson.test.TestExtension;

/**
 * Untrusted pull requests in a real Jenkins (-Pjenkins only): what the controller lets a pull request's deploy
 * use, decided from the branch source ({@link TrustingGitSource}, a git source that reports {@code pr-<n>}
 * branches as pull requests) and the folder's policy, and what it keeps of a deploy whose workspace the pull
 * request's own code rewrote.
 */
public class UntrustedChangesTest {

    @Rule public JenkinsRule j = new JenkinsRule();
    @Rule public LocalGitRepository repo = new LocalGitRepository();

    private static final String SECRET = "s3cr3t-4711";
    private static final String PROD_SECRET = "pr0d-s3cr3t-0815";

    /** The deploy file, the same on every branch (readTrusted refuses a pull request that changes it). */
    private static final String DEPLOY_FILE = "version: 1\nproject: shop\nstages:\n  - name: build\n    script: build.sh\n"
            + "teardown:\n  - name: goodbye\n    run: echo \"goodbye from $BERTH_ENVIRONMENT\"\n";
    private static final String BUILD = "echo \"token=${SHOP_TOKEN:-none}\"\n";

    /** master with the deploy file and build.sh; the folder's cloud credential; the credentials in Jenkins. */
    private void master() throws Exception {
        master(BUILD);
    }

    private void master(String buildScript) throws Exception {
        repo.init();
        repo.write("berth.yml", DEPLOY_FILE);
        repo.write("build.sh", buildScript);
        repo.git("add", ".");
        repo.git("commit", "--message=deploy file");
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "shop-token", "the shop's cloud token", Secret.fromString(SECRET)));
        SystemCredentialsProvider.getInstance().getCredentials().add(new StringCredentialsImpl(CredentialsScope.GLOBAL,
                "prod-db", "production database", Secret.fromString(PROD_SECRET)));
        SystemCredentialsProvider.getInstance().save();
    }

    /** A branch {@code pr-<n>} off master with one more commit (its files as given), then back on master. */
    private void pullRequest(String branch, String buildScript) throws Exception {
        repo.git("checkout", "-b", branch, "master");
        repo.write("build.sh", buildScript);
        repo.write("CHANGES", branch + "\n");
        repo.git("add", ".");
        repo.git("commit", "--message=" + branch);
        repo.git("checkout", "master");
    }

    private static DeploySettings settings(String pullRequests, String untrustedChanges) {
        DeploySettings settings = new DeploySettings();
        settings.setCloudCredentials("string SHOP_TOKEN=shop-token");
        settings.setPullRequests(pullRequests);
        settings.setUntrustedChanges(untrustedChanges);
        return settings;
    }

    private BerthProject folder(DeploySettings settings, String... untrusted) throws Exception {
        return BerthFolders.create(j, "shop", new TrustingGitSource(repo.toString(), Set.of(untrusted)), settings);
    }

    private static WorkflowRun lastBuild(BerthProject folder, String branch) {
        WorkflowJob job = folder.getItem(branch);
        assertThat(job).as("the job of " + branch).isNotNull();
        assertThat(job.getLastBuild()).as("a build of " + branch).isNotNull();
        return job.getLastBuild();
    }

    /** No build of this Jenkins logged the secrets, in clear or in base64. */
    private void noLogHasTheSecrets() throws Exception {
        for (Job<?, ?> job : j.jenkins.getAllItems(Job.class)) {
            for (Run<?, ?> run : job.getBuilds()) {
                for (String secret : List.of(SECRET, PROD_SECRET)) {
                    j.assertLogNotContains(secret, run);
                    j.assertLogNotContains(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
                            run);
                }
            }
        }
    }

    @Test
    public void byDefaultAPullRequestDeploysWithoutTheFoldersCredentialsAndABranchWithThem() throws Exception {
        master();
        pullRequest("pr-1", BUILD);
        // The source trusts the pull request (it is not a fork): the folder's default alone makes it untrusted.
        BerthProject folder = folder(settings("", ""));
        j.waitUntilNoActivity();

        WorkflowRun master = j.assertBuildStatusSuccess(lastBuild(folder, "master"));
        j.assertLogContains("token=****", master);
        j.assertLogContains("berth: branch master", master);
        j.assertLogContains("is trusted: deployed with its credentials", master);
        WorkflowRun pr = j.assertBuildStatusSuccess(lastBuild(folder, "PR-1"));
        j.assertLogContains("token=none", pr);
        j.assertLogContains("berth: pull request PR-1", pr);
        j.assertLogContains("every pull request is untrusted in this folder", pr);
        j.assertLogContains("deployed without credentials", pr);
        j.assertLogNotContains("token=****", pr);

        String page = j.createWebClient().goTo("job/shop/environments/").asNormalizedText();
        assertThat(page).contains("Credentials").contains("shop-pr-1").contains("shop-master")
                .contains("pull request PR-1").contains("deployed without credentials")
                .contains("branch master").contains("is trusted: deployed with its credentials");
        noLogHasTheSecrets();
    }

    @Test
    public void asTheSourceSaysAForksPullRequestGetsNoCredentialsAndAnotherOneDoes() throws Exception {
        master();
        pullRequest("pr-1", BUILD);
        pullRequest("pr-2", BUILD);
        BerthProject folder = folder(settings("source", ""), "pr-2");
        j.waitUntilNoActivity();

        WorkflowRun trusted = j.assertBuildStatusSuccess(lastBuild(folder, "PR-1"));
        j.assertLogContains("token=****", trusted);
        j.assertLogContains("pull request PR-1", trusted);
        j.assertLogContains("is trusted: deployed with its credentials", trusted);
        WorkflowRun fork = j.assertBuildStatusSuccess(lastBuild(folder, "PR-2"));
        // readTrusted read the deploy file from master, the pull request's target.
        j.assertLogContains("Loading trusted files from base branch master", fork);
        j.assertLogContains("the branch source does not trust it", fork);
        j.assertLogContains("token=none", fork);
        noLogHasTheSecrets();
    }

    @Test
    public void anUntrustedPullRequestWaitsWithoutAnExecutorForAnApprovalFromAUserWithBerthApprove() throws Exception {
        master();
        BerthProject folder = folder(settings("", "approval"), "pr-1");
        j.waitUntilNoActivity();
        j.assertLogContains("token=****", j.assertBuildStatusSuccess(lastBuild(folder, "master")));
        j.jenkins.setSecurityRealm(j.createDummySecurityRealm());
        j.jenkins.setAuthorizationStrategy(new MockAuthorizationStrategy()
                .grant(jenkins.model.Jenkins.READ, hudson.model.Item.READ, hudson.model.Item.BUILD).everywhere()
                .to("alice", "mallory")
                .grant(BerthPermissions.APPROVE).onItems(folder).to("alice"));

        pullRequest("pr-1", BUILD);
        folder.scheduleBuild2(0).getFuture().get();
        WorkflowRun pr = firstBuild(folder, "PR-1");
        j.waitForMessage("Deploy pull request PR-1", pr);
        j.assertLogContains("waits for approval by a user with Berth/Approve", pr);
        // The approval is asked before node: the build holds no executor while it waits.
        assertThat(j.jenkins.toComputer().countBusy()).as("busy executors").isZero();
        j.assertLogNotContains("Running on", pr);

        // mallory may proceed an input (Job/Build) but has no Berth/Approve: it does not count, and it asks again.
        proceed(pr, "mallory");
        j.waitForMessage("mallory has no Berth/Approve permission on shop, so the approval does not count", pr);
        waitForInput(pr);
        assertThat(pr.isBuilding()).isTrue();
        j.assertLogNotContains("Running on", pr);

        proceed(pr, "alice");
        j.assertBuildStatusSuccess(j.waitForCompletion(pr));
        j.assertLogContains("approved by alice, deployed with its credentials", pr);
        j.assertLogContains("token=****", pr);
        noLogHasTheSecrets();
    }

    @Test
    public void theControllerKeepsNothingAPullRequestsStageWroteIntoItsStateFolder() throws Exception {
        master();
        BerthProject folder = folder(settings("", ""), "pr-1");
        j.waitUntilNoActivity();
        j.assertBuildStatusSuccess(lastBuild(folder, "master"));

        // The pull request's own build script (not a file the teardown keeps, so not read from the trusted
        // revision) rewrites the state folder: a kept deploy file binding another credential for its teardown, the
        // deploy file the runner keeps from, and a stack of master's environment in its record.
        String hostile = "version: 1\nproject: shop\nsecrets:\n  X: prod-db\nteardown:\n  - name: leak\n"
                + "    run: echo leaked=$X\n";
        pullRequest("pr-1", "state=\"${BERTH_STATE:-.berth/state}\"\n"
                + "mkdir -p \"$state/kept/$BERTH_ENVIRONMENT\"\n"
                + "cat > hostile.yml <<'EOF'\n" + hostile + "EOF\n"
                + "cp hostile.yml \"$state/kept/$BERTH_ENVIRONMENT/berth.yml\"\n"
                + "cp hostile.yml berth.yml\n"
                + "python3 - \"$state/$BERTH_ENVIRONMENT.json\" <<'EOF'\n"
                + "import json, sys\n"
                + "record = json.load(open(sys.argv[1]))\n"
                + "record.setdefault('stacks', []).append({'name': 'app', 'shared': False, 'backend': 'http',"
                + " 'state_key': 'shop/app/shop-master', 'work_dir': 'terraform/work/shop/app/shop-master'})\n"
                + "json.dump(record, open(sys.argv[1], 'w'))\n"
                + "EOF\n"
                + "echo rewrote the state folder\n");
        BerthFolders.reindex(j, folder);
        WorkflowJob prJob = folder.getItem("PR-1");
        WorkflowRun pr = j.assertBuildStatusSuccess(lastBuild(folder, "PR-1"));
        j.assertLogContains("rewrote the state folder", pr);
        // The attack reached the workspace: what the controller keeps below is its own doing.
        hudson.FilePath state = j.jenkins.getWorkspaceFor(prJob).child(".berth/state");
        assertThat(state.child("kept/shop-pr-1/berth.yml").readToString()).contains("prod-db");
        assertThat(state.child("shop-pr-1.json").readToString()).contains("shop/app/shop-master");

        File project = BerthStates.get().projectFolder("shop");
        assertThat(Files.readString(new File(project, "kept/shop-pr-1/berth.yml").toPath())).isEqualTo(DEPLOY_FILE);
        assertThat(Files.readString(new File(project, "shop-pr-1.json").toPath())).doesNotContain("shop-master");
        j.assertLogContains("berth: not kept from the workspace's record of shop-pr-1: stack app at shop/app/shop-master",
                pr);

        // The pull request goes away: its teardown binds what the trusted deploy file names, nothing else.
        repo.git("branch", "-D", "pr-1");
        BerthFolders.reindex(j, folder);
        WorkflowJob teardown = j.jenkins.getItemByFullName(BranchJobScripts.teardownJobName("shop"), WorkflowJob.class);
        assertThat(teardown).as("the teardown job").isNotNull();
        WorkflowRun down = j.assertBuildStatusSuccess(teardown.getLastBuild());
        j.assertLogContains("goodbye from shop-pr-1", down);
        j.assertLogNotContains("leaked", down);
        j.assertLogNotContains("PROD_DB", down);
        j.assertLogNotContains("prod-db", down);
        io.jenkins.plugins.berth.environments.DirectoryStateStore store =
                new io.jenkins.plugins.berth.environments.DirectoryStateStore(project.toPath());
        assertThat(store.read("shop-pr-1").orElseThrow().isGone()).as("shop-pr-1 torn down").isTrue();
        assertThat(store.read("shop-master").orElseThrow().isGone()).as("shop-master torn down").isFalse();
        noLogHasTheSecrets();
    }

    /**
     * The token a deploy gets for the states Jenkins hosts reaches its own environment's states, and the shared
     * stacks' states only to read unless the change may write them: a pull request's code, which runs with the
     * token, can neither read master's state (Terraform states hold secrets) nor write a shared stack's.
     */
    @Test
    public void aPullRequestsStateTokenReachesOnlyItsOwnEnvironmentsStates() throws Exception {
        // Only Terraform gets the token, so the probe is what a pull request's own Terraform module could run.
        BerthFolders.tofuOnThePath(j);
        String probe = "base=\"${TF_HTTP_ADDRESS%shop/app/*}\"\nauth=\"berth:$TF_HTTP_PASSWORD\"\n"
                + "status() { curl -s -o /dev/null -w '%{http_code}' -u \"$auth\" \"$@\"; }\n"
                + "echo \"master=$(status \"${base}shop/app/shop-master\")\"\n"
                + "echo \"shared-read=$(status \"${base}shop/db/_shared\")\"\n"
                + "echo \"shared-write=$(status -X POST --data '{\"version\":4,\"serial\":9}'"
                + " \"${base}shop/db/_shared\")\"\n";
        master(BUILD);
        repo.write("berth.yml", "version: 1\nproject: shop\ninfrastructure:\n  - name: app\n    dir: infra\n");
        repo.write("infra/main.tf", "resource \"terraform_data\" \"probe\" {\n  triggers_replace = timestamp()\n"
                + "  provisioner \"local-exec\" { command = \"bash ${path.module}/probe.sh\" }\n}\n");
        repo.write("infra/probe.sh", probe);
        repo.git("add", ".");
        repo.git("commit", "--message=a stack whose module probes the state server");
        BerthProject folder = folder(settings("", ""), "pr-1");
        j.waitUntilNoActivity();
        WorkflowRun master = j.assertBuildStatusSuccess(lastBuild(folder, "master"));
        // master reaches its own state (none yet during its first apply: 204) and writes the shared one.
        j.assertLogContains("master=204", master);
        j.assertLogContains("shared-write=200", master);

        pullRequest("pr-1", BUILD);
        BerthFolders.reindex(j, folder);
        WorkflowRun pr = j.assertBuildStatusSuccess(lastBuild(folder, "PR-1"));
        j.assertLogContains("master=403", pr);
        j.assertLogContains("shared-read=200", pr);
        j.assertLogContains("shared-write=403", pr);
        File masterState = new File(j.jenkins.getRootDir(), "berth/terraform-states/shop/app/shop-master/terraform.tfstate");
        assertThat(masterState).as("master's own deploy saved its state").isFile();
    }

    private static WorkflowRun firstBuild(BerthProject folder, String branch) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            WorkflowJob job = folder.getItem(branch);
            if (job != null && job.getBuildByNumber(1) != null) {
                return job.getBuildByNumber(1);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no build of " + branch);
    }

    /** Waits until the build asks for input (again). */
    private static InputStepExecution waitForInput(WorkflowRun run) throws Exception {
        for (int i = 0; i < 600; i++) {
            InputAction action = run.getAction(InputAction.class);
            if (action != null && !action.getExecutions().isEmpty()) {
                return action.getExecutions().get(0);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no input in " + run);
    }

    /** {@code user} clicks the input's Deploy button, as the page's link does it. */
    private void proceed(WorkflowRun run, String user) throws Exception {
        InputStepExecution input = waitForInput(run);
        JenkinsRule.WebClient client = j.createWebClient().login(user);
        client.getPage(new WebRequest(client.createCrumbedUrl(run.getUrl() + "input/" + input.getId() + "/proceedEmpty"),
                HttpMethod.POST));
    }

    /**
     * A git branch source over a local repository that reports each branch {@code pr-<n>} as the pull request
     * {@code PR-<n>} into {@code master}, and trusts such a pull request's revision unless its branch is one of the
     * {@code untrusted} ones (like a pull request from a fork by someone without write access): then, as GitHub's
     * and Bitbucket's sources do, {@link #getTrustedRevision} answers the target branch's revision. It stands in for
     * a GitHub or Bitbucket source, neither of which can run here (no network). Its revisions are the git plugin's
     * own {@link SCMRevisionImpl} of the commit, so {@code readTrusted} reads through
     * {@link jenkins.plugins.git.GitSCMFileSystem} and {@code checkout scm} checks the commit out. Only what maps
     * heads is overridden: indexing, one head's revision, and the SCM of a head.
     */
    public static class TrustingGitSource extends GitSCMSource {

        private static final String PREFIX = "pr-";

        /** The {@code pr-<n>} branches whose pull requests this source does not trust. */
        private final HashSet<String> untrusted;

        public TrustingGitSource(String remote, Set<String> untrusted) {
            super(remote);
            this.untrusted = new HashSet<>(untrusted);
            setTraits(List.of(new BranchDiscoveryTrait()));
        }

        /** A pull request from the branch {@code pr-<n>} into {@code master}. */
        public static final class PullRequest extends SCMHead implements ChangeRequestSCMHead {
            private static final long serialVersionUID = 1L;

            private final String id;

            PullRequest(String id) {
                super("PR-" + id);
                this.id = id;
            }

            @NonNull
            @Override
            public String getId() {
                return id;
            }

            @NonNull
            @Override
            public SCMHead getTarget() {
                return new GitBranchSCMHead("master");
            }

            /** The git branch it comes from. */
            GitBranchSCMHead branch() {
                return new GitBranchSCMHead(PREFIX + id);
            }
        }

        /** A revision of the same commit, on another head. */
        private static SCMRevision on(SCMHead head, SCMRevision revision) {
            return revision instanceof SCMRevisionImpl impl ? new SCMRevisionImpl(head, impl.getHash()) : revision;
        }

        @Override
        protected void retrieve(SCMSourceCriteria criteria, @NonNull SCMHeadObserver observer, SCMHeadEvent<?> event,
                @NonNull TaskListener listener) throws IOException, InterruptedException {
            super.retrieve(criteria, new SCMHeadObserver() {
                @Override
                public void observe(@NonNull SCMHead head, @NonNull SCMRevision revision)
                        throws IOException, InterruptedException {
                    if (head.getName().startsWith(PREFIX)) {
                        PullRequest pr = new PullRequest(head.getName().substring(PREFIX.length()));
                        observer.observe(pr, on(pr, revision));
                    } else {
                        observer.observe(head, revision);
                    }
                }

                @Override
                public boolean isObserving() {
                    return observer.isObserving();
                }

                @Override
                public Set<SCMHead> getIncludes() {
                    Set<SCMHead> includes = observer.getIncludes();
                    if (includes == null) {
                        return null;
                    }
                    Set<SCMHead> branches = new HashSet<>();
                    includes.forEach(head -> branches.add(head instanceof PullRequest pr ? pr.branch() : head));
                    return branches;
                }
            }, event, listener);
        }

        @Override
        protected SCMRevision retrieve(@NonNull SCMHead head, @NonNull TaskListener listener)
                throws IOException, InterruptedException {
            if (head instanceof PullRequest pr) {
                SCMRevision revision = super.retrieve(pr.branch(), listener);
                return revision == null ? null : on(pr, revision);
            }
            return super.retrieve(head, listener);
        }

        @NonNull
        @Override
        public SCM build(@NonNull SCMHead head, SCMRevision revision) {
            if (head instanceof PullRequest pr) {
                return super.build(pr.branch(), revision == null ? null : on(pr.branch(), revision));
            }
            return super.build(head, revision);
        }

        @NonNull
        @Override
        public SCMRevision getTrustedRevision(@NonNull SCMRevision revision, @NonNull TaskListener listener)
                throws IOException, InterruptedException {
            if (revision.getHead() instanceof PullRequest pr && untrusted.contains(pr.branch().getName())) {
                SCMRevision target = fetch(pr.getTarget(), listener);
                if (target == null) {
                    throw new IOException("no revision of " + pr.getTarget().getName());
                }
                listener.getLogger().println("Loading trusted files from base branch master at " + target
                        + " rather than " + revision);
                return target;
            }
            return revision;
        }

        @TestExtension
        public static final class DescriptorImpl extends SCMSourceDescriptor {
            @NonNull
            @Override
            public String getDisplayName() {
                return "Git, with pr-<n> branches as pull requests (test)";
            }
        }
    }
}
