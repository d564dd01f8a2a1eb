package io.jenkins.plugins.berth.pipeline;

import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import java.util.Optional;

/**
 * A deploy with Jenkins-hosted state works on a copy of its environment's record and copies it back when
 * it ends. A pin set or lifted on the Environments page meanwhile must survive that copy: the page's
 * change is the newer one.
 */
public final class PinDuringDeploy {

    private PinDuringDeploy() {}

    /**
     * The pin to put back on the record the deploy copies back, when the controller's record was pinned or
     * unpinned while the deploy ran; empty when nobody changed it.
     *
     * @param pinnedAtBegin whether the controller's record was pinned when the deploy copied it
     * @param controllerNow the controller's record as the deploy ends
     */
    public static Optional<Boolean> changedMeanwhile(boolean pinnedAtBegin, Optional<EnvironmentRecord> controllerNow) {
        return controllerNow.map(EnvironmentRecord::isProtected).filter(pinned -> pinned != pinnedAtBegin);
    }
}
