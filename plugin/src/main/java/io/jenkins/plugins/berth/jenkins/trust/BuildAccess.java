package io.jenkins.plugins.berth.jenkins.trust;

import hudson.model.Run;
import hudson.model.TaskListener;
import io.jenkins.plugins.berth.jenkins.config.BerthFolderProperty;
import io.jenkins.plugins.berth.pipeline.ChangeAccess;
import java.io.IOException;
import java.util.Optional;
import jenkins.scm.api.SCMHead;
import jenkins.scm.api.SCMRevision;
import jenkins.scm.api.SCMRevisionAction;
import jenkins.scm.api.SCMSource;
import jenkins.scm.api.mixin.ChangeRequestSCMHead;

/**
 * What a build may use, read on the controller from the branch source (never from the workspace): is the
 * build's head a change request, does the source trust its revision ({@link SCMSource#getTrustedRevision},
 * the same check {@code readTrusted} makes), the folder's change policy, and a recorded approval.
 */
public final class BuildAccess {

    private BuildAccess() {}

    /** The build's branch (or pull request) name, as its branch source names the head; empty outside one. */
    public static Optional<String> branch(Run<?, ?> build) {
        SCMHead head = SCMHead.HeadByItem.findHead((hudson.model.Item) build.getParent());
        return head == null ? Optional.empty() : Optional.of(head.getName());
    }

    public static ChangeAccess of(Run<?, ?> build, TaskListener listener) throws IOException, InterruptedException {
        // Every Job is an Item (through AbstractItem, which the API subset leaves out).
        hudson.model.Item job = (hudson.model.Item) build.getParent();
        SCMHead head = SCMHead.HeadByItem.findHead(job);
        SCMSource source = SCMSource.SourceByItem.findSource(job);
        if (head == null || source == null) {
            return ChangeAccess.ownJob(job.getFullName());
        }
        boolean pullRequest = head instanceof ChangeRequestSCMHead;
        SCMRevision revision = SCMRevisionAction.getRevision(source, build);
        // A revision not known yet (readTrusted records it) is trusted only for a branch, which trusts itself.
        boolean sourceTrusts = revision == null ? !pullRequest
                : revision.equals(source.getTrustedRevision(revision, listener));
        String change = (pullRequest ? "pull request " : "branch ") + head.getName()
                + (revision == null ? "" : " (" + revision + ")");
        ChangeApproval approval = build.getAction(ChangeApproval.class);
        return ChangeAccess.decide(change, pullRequest, sourceTrusts,
                BerthFolderProperty.defaultsBelow(build.getParent().getParent()).changes(),
                Optional.ofNullable(approval).map(ChangeApproval::getApprover));
    }
}
