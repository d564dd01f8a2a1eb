package jenkins.scm.api;

import java.util.List;

/** Subset of scm-api {@code jenkins.scm.api.SCMSourceOwner} (728.vc30dcf7a_0df5). */
public interface SCMSourceOwner {
    List<SCMSource> getSCMSources();

    void onSCMSourceUpdated(SCMSource source);
}
