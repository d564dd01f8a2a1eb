package io.jenkins.plugins.berth.environments;

/**
 * Names every path of a state folder, relative to it, so that the CLI (with {@code Path}) and the plugin
 * (with {@code FilePath}, on an agent or the controller) agree on one layout:
 *
 * <pre>
 * &lt;state folder&gt;/                  the CLI's: one per repository in the user's state home; Jenkins': .berth/state in the workspace
 *   &lt;environment&gt;.json             the environment's record
 *   .&lt;environment&gt;.write.lock      held while a record is changed
 *   index/environments            the records index: what listings and reaping read of every record ({@code RecordsIndex})
 *   .index.lock                   held while a record is written or the index rebuilt
 *   kept/&lt;environment&gt;/             the files its teardown needs, from its last successful deploy
 *   terraform/work/&lt;state key&gt;/     each stack's work folder: its sources and the deploy file they came with
 *   terraform/states/&lt;state key&gt;/   the embedded backend's Terraform states and locks
 *   builds/&lt;project&gt;/&lt;build&gt;/&lt;version&gt;/  a Packer build's work folder: template copy, caches, artifacts
 * </pre>
 */
public final class StateLayout {

    /**
     * Jenkins' state folder, relative to the workspace, which {@code berthEnvironment} passes to the runner as
     * {@code --state}. The CLI kept its records in the repository's own {@code .berth/state} too, before they
     * moved to the state home out of the reach of stage code; it looks for that folder only to say so.
     */
    public static final String WORKSPACE_FOLDER = ".berth/state";

    private StateLayout() {}

    /** {@code shop-pr-7.json}. */
    public static String recordFile(String environment) {
        return environment + ".json";
    }

    /** The environment whose record {@code fileName} is, if it is one. */
    public static java.util.Optional<String> environmentOfRecord(String fileName) {
        return fileName.endsWith(".json") && !fileName.startsWith(".")
                ? java.util.Optional.of(fileName.substring(0, fileName.length() - ".json".length()))
                : java.util.Optional.empty();
    }

    /** {@code .shop-pr-7.write.lock}. */
    public static String writeLock(String environment) {
        return "." + environment + ".write.lock";
    }

    /** {@code index}: the records index's folder (its own, so that replacing the index leaves the folder's time). */
    public static final String INDEX_FOLDER = "index";

    /** {@code index/environments}: the records index. */
    public static final String INDEX_FILE = INDEX_FOLDER + "/environments";

    /** {@code .index.lock}: held by every record write and index rebuild of the folder. */
    public static final String INDEX_LOCK = ".index.lock";

    /** {@code kept}: the folder of every environment's kept files. */
    public static final String KEPT = "kept";

    /** {@code kept/shop-pr-7}. */
    public static String keptFolder(String environment) {
        return KEPT + "/" + environment;
    }

    /** {@code terraform/work/<key>}: a stack's work folder. */
    public static String stackWorkFolder(String stateKey) {
        return "terraform/work/" + stateKey;
    }

    /** {@code builds}: the folder of every build's work folders. */
    public static final String BUILDS = "builds";

    /** {@code builds/<project>/<build>/<version>}: the work folder of one version of a build. */
    public static String buildWorkFolder(String project, String build, String version) {
        return BUILDS + "/" + project + "/" + build + "/" + version;
    }

    /** {@code terraform/states}: the embedded Terraform backend's root. */
    public static final String TERRAFORM_STATES = "terraform/states";

    /**
     * The work folders of an environment's own stacks ({@code terraform/work/<project>/<stack>/<environment>}),
     * as an Ant pattern: what a teardown on another agent needs to destroy them.
     */
    public static String environmentStacksPattern(String project, String environment) {
        return "terraform/work/" + project + "/*/" + environment + "/**";
    }

    /** What of a stack's work folder is never kept: providers (large, fetched again by init) and plan files. */
    public static final String STACK_WORK_EXCLUDES = "**/.terraform/**,**/*.tfplan";

    /** The files of an environment a build copies between workspace and controller: record and kept files (Ant pattern). */
    public static String environmentFilesPattern(String environment) {
        return recordFile(environment) + "," + keptFolder(environment) + "/**";
    }
}
