package io.jenkins.plugins.berth.state;

import hudson.Extension;
import hudson.ExtensionList;
import io.jenkins.plugins.berth.config.BerthGlobalConfiguration;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.terraform.StateEndpoint;
import io.jenkins.plugins.berth.terraform.StateStorage;
import io.jenkins.plugins.berth.terraform.StateTokens;
import java.io.File;
import java.nio.file.Path;
import jenkins.model.Jenkins;

/**
 * What the controller keeps for Berth, under {@code $JENKINS_HOME/berth/}: the Terraform states it
 * serves ({@code terraform-states/<project>/<stack>/<environment>}), each project's environment records
 * and kept files ({@code projects/<project>/}), and the tokens of the builds running now. Tokens live
 * in memory only: a restart ends them, as it ends the builds' shell steps' hold on them.
 */
@Extension
public final class BerthStates {

    private final StateTokens tokens = new StateTokens();

    public static BerthStates get() {
        return ExtensionList.lookupSingleton(BerthStates.class);
    }

    public StateTokens tokens() {
        return tokens;
    }

    public StateStorage storage() {
        return new StateStorage(root().resolve("terraform-states"),
                BerthGlobalConfiguration.get().getKeptStateVersions());
    }

    public StateEndpoint endpoint() {
        return new StateEndpoint(storage(), StateEndpoint.Passwords.of(tokens));
    }

    /**
     * A project's records and kept files: the state folder its builds copy in and back.
     *
     * @throws IllegalArgumentException for a name that is not a project's (it could leave the folder)
     */
    public File projectFolder(String project) {
        if (!StateStorage.isProject(project)) {
            throw new IllegalArgumentException("not a project name: '" + project + "'");
        }
        return root().resolve("projects").resolve(project).toFile();
    }

    /** Every project's records, for the Environments page. */
    public java.util.List<DirectoryStateStore> projects() {
        File[] folders = root().resolve("projects").toFile().listFiles(File::isDirectory);
        return folders == null ? java.util.List.of()
                : java.util.Arrays.stream(folders).sorted().map(f -> new DirectoryStateStore(f.toPath())).toList();
    }

    private static Path root() {
        return Jenkins.get().getRootDir().toPath().resolve("berth");
    }
}
