package io.jenkins.plugins.berth.builds;

import io.jenkins.plugins.berth.environments.BuildRecord;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.StateLayout;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.run.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Removes the work folders (template copy, caches, the files the build wrote) of the builds only a torn-down
 * environment used. A folder stays while another environment that is not gone records a build of it (it reused
 * those artifacts), and while any record cannot be read. Only folders under the state folder's
 * {@code builds/} are removed, whatever a record says: a record is data, not a list of paths to delete.
 */
public final class BuildCleanup {

    private final Path stateFolder;
    private final StateStore state;

    public BuildCleanup(Path stateFolder, StateStore state) {
        this.stateFolder = stateFolder.toAbsolutePath().normalize();
        this.state = state;
    }

    public void clean(EnvironmentRecord record, Log log) throws IOException {
        if (record.builds().isEmpty()) {
            return;
        }
        StateStore.Records records = state.records();
        if (!records.unreadable().isEmpty()) {
            records.unreadable().forEach(u -> log.warning(u.message()));
            log.warning("build files of " + record.name() + ": kept, as " + records.unreadable().size()
                    + " record(s) cannot be read to tell whether they use them");
            return;
        }
        List<EnvironmentRecord> others = records.readable().stream()
                .filter(r -> !r.name().equals(record.name()) && !r.isGone()).toList();
        Path builds = stateFolder.resolve(StateLayout.BUILDS);
        for (BuildRecord build : record.builds()) {
            Path folder = stateFolder.resolve(build.workDir()).normalize();
            if (!folder.startsWith(builds) || folder.equals(builds)) {
                log.warning("build " + build.name() + ": work folder " + build.workDir() + " is not a build folder of "
                        + stateFolder + "; left alone");
                continue;
            }
            List<String> users = others.stream().filter(r -> r.builds().stream()
                    .anyMatch(b -> b.workDir().equals(build.workDir()))).map(EnvironmentRecord::name).toList();
            if (!users.isEmpty()) {
                log.info("build " + build.name() + ": files kept, " + String.join(", ", users) + " also use them");
                continue;
            }
            BuildFolder.remove(folder);
            log.info("build " + build.name() + ": removed " + build.workDir() + " (version " + build.version() + ")");
        }
    }
}
