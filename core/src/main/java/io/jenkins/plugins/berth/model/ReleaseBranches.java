package io.jenkins.plugins.berth.model;

import java.util.List;

/**
 * The branches the project releases from ({@code release_branches}): only their deploys move {@code latest}
 * and the images' extra tags, which release stages promote from. Berth is not told a repository's default
 * branch (neither the CLI nor a multibranch job knows it for every SCM), so without the key the conventional
 * default-branch names {@code main} and {@code master} count.
 */
public record ReleaseBranches(List<String> names, boolean declared) {

    /** What a file without {@code release_branches} releases from. */
    public static final ReleaseBranches DEFAULT = new ReleaseBranches(List.of("main", "master"), false);

    public ReleaseBranches {
        names = List.copyOf(names);
    }

    /** Whether a deploy of {@code branch} moves {@code latest} and the extra tags. */
    public boolean includes(String branch) {
        return names.contains(branch);
    }
}
