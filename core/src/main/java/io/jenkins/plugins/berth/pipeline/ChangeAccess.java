package io.jenkins.plugins.berth.pipeline;

import java.util.Optional;

/**
 * What one build's deploy may use, decided on the controller from facts the workspace cannot change: whether
 * the build is of a pull request, whether the branch source trusts its revision, the folder's
 * {@link ChangePolicy}, and who approved it, if anyone. Credentials bind only when {@link #credentials()};
 * shared Terraform stacks are written only by builds that are not pull requests ({@link #writesSharedStacks()}).
 *
 * @param change what the build deploys, for people: {@code pull request PR-7 (head 1a2b3c4)}
 * @param pullRequest the build is of a change request
 * @param trusted the change is trusted under the policy
 * @param credentials the deploy's credentials may be bound
 * @param waitsForApproval an untrusted change that a user with Berth/Approve must approve first
 * @param summary the policy that applied, as the build log and the Environments page say it
 */
public record ChangeAccess(String change, boolean pullRequest, boolean trusted, boolean credentials,
        boolean waitsForApproval, String summary) {

    /**
     * @param sourceTrusts the branch source's trusted revision for the build is the build's own
     * @param approvedBy the user whose approval (with the permission) this build recorded
     */
    public static ChangeAccess decide(String change, boolean pullRequest, boolean sourceTrusts, ChangePolicy policy,
            Optional<String> approvedBy) {
        boolean untrusted = !sourceTrusts
                || (pullRequest && policy.pullRequestsInForce() == ChangePolicy.PullRequests.UNTRUSTED);
        if (!untrusted) {
            return new ChangeAccess(change, pullRequest, true, true, false,
                    change + " is trusted: deployed with its credentials");
        }
        String why = sourceTrusts ? "every pull request is untrusted in this folder"
                : "the branch source does not trust it";
        if (policy.untrustedInForce() == ChangePolicy.Untrusted.WITHOUT_CREDENTIALS) {
            return new ChangeAccess(change, pullRequest, false, false, false,
                    change + " is untrusted (" + why + "): deployed without credentials");
        }
        if (approvedBy.isPresent()) {
            return new ChangeAccess(change, pullRequest, false, true, false,
                    change + " is untrusted (" + why + "): approved by " + approvedBy.get()
                            + ", deployed with its credentials");
        }
        return new ChangeAccess(change, pullRequest, false, false, true,
                change + " is untrusted (" + why + "): waits for approval by a user with Berth/Approve");
    }

    /** A build outside any branch source (a plain Pipeline job): its own job's script is the one trusted. */
    public static ChangeAccess ownJob(String job) {
        return new ChangeAccess("job " + job, false, true, true, false, "job " + job + ": deployed with its credentials");
    }

    /** Shared stacks change only from branches: a pull request reads their outputs. */
    public boolean writesSharedStacks() {
        return !pullRequest;
    }
}
