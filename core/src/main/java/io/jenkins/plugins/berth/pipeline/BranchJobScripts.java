package io.jenkins.plugins.berth.pipeline;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The two Pipeline scripts Berth's jobs run, and the one value that goes into them. A branch job runs
 * {@code berth.branchJob(file: '<deploy file>')}; the teardown job runs {@code berth.teardownKept(...)}
 * with its build parameters. The deploy file path is the only text written into a script, so it is
 * held to a plain relative path: nothing in it can end the string literal or leave the checkout.
 */
public final class BranchJobScripts {

    /** The deploy file a branch job reads when its factory names none. */
    public static final String DEFAULT_DEPLOY_FILE = "berth.yml";

    /** What the teardown job runs: its build parameters, passed as data. */
    public static final String TEARDOWN = "berth.teardownKept(project: params.BERTH_PROJECT, environment:"
            + " params.BERTH_ENVIRONMENT, skipStages: params.BERTH_SKIP_STAGES, reason: params.BERTH_SKIP_REASON)\n";

    /** What teardown jobs that an earlier Berth created run: still Berth's, to be brought up to {@link #TEARDOWN}. */
    public static final List<String> EARLIER_TEARDOWNS = List.of(
            "berth.teardownKept(project: params.BERTH_PROJECT, environment: params.BERTH_ENVIRONMENT)\n");

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]+");

    private BranchJobScripts() {}

    /** The branch job's script for a deploy file, after {@link #deployFile} accepted the path. */
    public static String branchJob(String deployFile) {
        return "berth.branchJob(file: '" + deployFile(deployFile) + "')\n";
    }

    /**
     * The deploy file path, blank meaning {@value #DEFAULT_DEPLOY_FILE}.
     *
     * @throws IllegalArgumentException for an absolute path, {@code ..}, or characters other than letters,
     *     digits, {@code . _ -} and {@code /} between segments
     */
    public static String deployFile(String path) {
        if (path == null || path.isBlank()) {
            return DEFAULT_DEPLOY_FILE;
        }
        String trimmed = path.strip();
        for (String segment : trimmed.split("/", -1)) {
            if (!SEGMENT.matcher(segment).matches() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("deploy file '" + trimmed + "': use a relative path inside the"
                        + " repository made of letters, digits, '.', '_', '-' and '/', such as deploy/berth.yml");
            }
        }
        return trimmed;
    }

    /** True when {@code script} is Berth's teardown script, as this Berth or an earlier one wrote it. */
    public static boolean isTeardownScript(String script) {
        String stripped = script.strip();
        return TEARDOWN.strip().equals(stripped) || EARLIER_TEARDOWNS.stream().anyMatch(s -> s.strip().equals(stripped));
    }

    /**
     * The name of a folder's teardown job: the folder's full name with {@code /} turned into {@code -},
     * then {@code -teardown}, so that folders side by side get jobs side by side.
     */
    public static String teardownJobName(String folderFullName) {
        return folderFullName.replace('/', '-') + "-teardown";
    }
}
