package io.jenkins.plugins.berth.jenkins.trust;

import hudson.model.InvisibleAction;

/**
 * On a build: the user who approved its untrusted change and held Berth/Approve on the folder when they did,
 * recorded by the controller ({@link BerthApproveStep}), so that every later step of the build can see it.
 */
public final class ChangeApproval extends InvisibleAction {

    private final String approver;

    ChangeApproval(String approver) {
        this.approver = approver;
    }

    public String getApprover() {
        return approver;
    }
}
