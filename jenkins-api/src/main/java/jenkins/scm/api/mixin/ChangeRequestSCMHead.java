package jenkins.scm.api.mixin;

import jenkins.scm.api.SCMHead;

/** Subset of scm-api {@code jenkins.scm.api.mixin.ChangeRequestSCMHead} (728.vc30dcf7a_0df5). */
public interface ChangeRequestSCMHead {
    String getId();

    SCMHead getTarget();
}
