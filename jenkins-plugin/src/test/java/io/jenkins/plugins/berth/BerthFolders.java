package io.jenkins.plugins.berth;

import io.jenkins.plugins.berth.jenkins.config.BerthFolderProperty;
import io.jenkins.plugins.berth.jenkins.config.DeploySettings;
import io.jenkins.plugins.berth.jenkins.folder.BerthProject;
import java.util.List;
import jenkins.branch.BranchSource;
import jenkins.plugins.git.GitSCMSource;
import jenkins.plugins.git.traits.BranchDiscoveryTrait;
import jenkins.scm.api.SCMSource;
import org.jvnet.hudson.test.JenkinsRule;

/** Berth folders over local git repositories, indexed as Jenkins indexes them. */
final class BerthFolders {

    private BerthFolders() {}

    /** The plain git branch source over a local repository, discovering its branches. */
    static GitSCMSource gitSource(LocalGitRepository repo) {
        GitSCMSource source = new GitSCMSource(repo.toString());
        source.setTraits(List.of(new BranchDiscoveryTrait()));
        return source;
    }

    /**
     * A Berth folder over {@code source}, indexed once; its branch jobs' builds are not waited for. The branch jobs
     * check the local repository out on the controller, which the git plugin refuses by default.
     */
    static BerthProject create(JenkinsRule j, String name, SCMSource source) throws Exception {
        return create(j, name, source, null);
    }

    /** The same, with the folder's Berth defaults ({@code settings}, when given) set before it indexes. */
    static BerthProject create(JenkinsRule j, String name, SCMSource source, DeploySettings settings)
            throws Exception {
        hudson.plugins.git.GitSCM.ALLOW_LOCAL_CHECKOUT = true;
        BerthProject folder = j.jenkins.createProject(BerthProject.class, name);
        if (settings != null) {
            folder.addProperty(new BerthFolderProperty(settings));
        }
        folder.getSourcesList().add(new BranchSource(source));
        folder.scheduleBuild2(0).getFuture().get();
        return folder;
    }

    /** Indexes the folder again and waits for what that started (branch builds, teardowns) to end. */
    static void reindex(JenkinsRule j, BerthProject folder) throws Exception {
        folder.scheduleBuild2(0).getFuture().get();
        j.waitUntilNoActivity();
    }

    /** OpenTofu (scripts/install-tools puts it in .tools/bin) on every node's PATH, as Berth's own job scripts find it. */
    static void tofuOnThePath(JenkinsRule j) throws java.io.IOException {
        java.nio.file.Path tools = java.nio.file.Path.of("..", ".tools", "bin").toAbsolutePath().normalize();
        if (!java.nio.file.Files.isExecutable(tools.resolve("tofu"))) {
            throw new AssertionError("run scripts/install-tools first: it builds OpenTofu (no " + tools.resolve("tofu") + ")");
        }
        j.jenkins.getGlobalNodeProperties().add(new hudson.slaves.EnvironmentVariablesNodeProperty(
                new hudson.slaves.EnvironmentVariablesNodeProperty.Entry("PATH+TOFU", tools.toString())));
    }
}
