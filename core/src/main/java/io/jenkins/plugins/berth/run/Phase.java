package io.jenkins.plugins.berth.run;

import io.jenkins.plugins.berth.model.PhaseName;
import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.model.DeployFile;
import java.util.List;

/**
 * A phase the engine can run, plugged in by the part of Berth that knows it (images, infrastructure).
 * It turns the deploy file into tasks when the phase starts, so it can use what earlier phases
 * published; groups run one after the other, the tasks of a group concurrently.
 */
public interface Phase {

    /** The deploy-file feature this phase makes runnable. */
    Feature feature();

    /** Its name in the plan and the state ({@code images}, {@code infrastructure}): its feature's phase. */
    default PhaseName name() {
        return feature().phase().orElseThrow(() -> new IllegalStateException(feature() + " is not a phase"));
    }

    List<List<Task>> tasks(DeployFile file, RunVariables variables) throws BerthException;

    /**
     * The tasks of a redeploy: publish what earlier runs made (the stacks' outputs) without changing
     * anything. None by default.
     */
    default List<List<Task>> readOnlyTasks(DeployFile file, RunVariables variables) throws BerthException {
        return List.of();
    }

    /** Called once the run ends, whatever happened: release what the phase started (a state server). */
    default void finish() {}

    /**
     * Checks made before anything runs ({@code berth up} refuses to start when one fails): a tool the
     * phase needs is missing, a state it must change is locked.
     */
    default void check(DeployFile file, RunVariables variables) throws BerthException {}
}
