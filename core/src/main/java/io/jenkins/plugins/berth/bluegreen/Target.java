package io.jenkins.plugins.berth.bluegreen;

import io.jenkins.plugins.berth.BerthException;
import java.io.IOException;
import java.util.Map;

/**
 * Where the colours run and how traffic moves between them. Each step gets the variables of the
 * deploy place with {@code BERTH_COLOR} and {@code BERTH_PORT} set for the colour concerned.
 */
public interface Target {

    /** Starts the new version in {@code color}, which serves no traffic. */
    void deploy(Color color, Map<String, String> variables) throws BerthException, IOException, InterruptedException;

    /** Sends all traffic to {@code color}. */
    void switchTo(Color color, Map<String, String> variables) throws BerthException, IOException, InterruptedException;

    /**
     * The colour traffic goes to now, as the target itself says (the source of truth when the record is behind
     * it); empty when the target cannot tell or nothing is live yet.
     */
    default java.util.Optional<Color> live() throws BerthException, IOException {
        return java.util.Optional.empty();
    }

    /**
     * What serves before Berth recorded any deploy, for targets whose traffic exists independently of Berth (an ALB
     * listener the infrastructure pointed at a colour); empty for the others, whose first deploy starts from nothing.
     */
    default java.util.Optional<Color> liveBeforeFirstDeploy() throws BerthException, IOException {
        return java.util.Optional.empty();
    }

    /**
     * Makes the preview endpoint show {@code idle} (before its {@code before_switch} and the switch) when the target
     * has one and it shows another colour; traffic is not touched. Most targets have nothing to do.
     *
     * @return whether the preview was changed (it may take a moment to show the colour)
     */
    default boolean preview(Color idle, Map<String, String> variables) throws BerthException, IOException,
            InterruptedException {
        return false;
    }

    /** Stops {@code color} (after a switch, once the previous colour is no longer kept; or after a failed deploy). */
    void retire(Color color, Map<String, String> variables) throws BerthException, IOException, InterruptedException;
}
