package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.Json;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentRecord;
import io.jenkins.plugins.berth.environments.RunRecord;
import io.jenkins.plugins.berth.environments.StateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth envs}: every environment of the state folder. */
@Command(name = "envs", mixinStandardHelpOptions = true,
        description = {"List the environments: name, kind, status, branch, last deploy, expiry, protection and URL."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:listed", "1:a record cannot be read (the others are listed, a warning names its file)"})
final class EnvsCommand implements Callable<Integer> {

    @CommandLine.Mixin
    StateFolderOption stateFolder;

    @Option(names = "--json", description = "Print the records as one JSON array.")
    boolean json;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        StateStore.Records records = new DirectoryStateStore(stateFolder.folder()).records();
        // Warnings go to stderr, so that --json output stays one valid JSON array.
        warnSkipped(records, spec.commandLine().getErr());
        int exitCode = records.unreadable().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        List<EnvironmentRecord> all = records.readable();
        if (json) {
            out.println(Json.mapper().writeValueAsString(all));
            return exitCode;
        }
        if (all.isEmpty()) {
            out.println("no environments in " + stateFolder.folder());
            return exitCode;
        }
        String format = "%-32s %-13s %-12s %-24s %-20s %-20s %-9s %s%n";
        out.printf(format, "NAME", "KIND", "STATUS", "BRANCH", "LAST DEPLOY", "EXPIRES", "PROTECTED", "URL");
        for (EnvironmentRecord env : all) {
            out.printf(format, env.name(), env.kind().keyword(), env.status().keyword(), env.branch(),
                    env.lastDeployAt().map(EnvsCommand::minutes).orElse("-"),
                    env.expiresAt().map(EnvsCommand::minutes).orElse("-"), env.isProtected() ? "yes" : "no",
                    env.url().orElse("-"));
            env.lastRun().flatMap(RunRecord::skipReason).ifPresent(reason -> out.println("    teardown stages skipped: "
                    + reason));
        }
        return exitCode;
    }

    /** One line on {@code err} for each record that cannot be read and is left out. */
    static void warnSkipped(StateStore.Records records, PrintWriter err) {
        for (StateStore.Unreadable unreadable : records.unreadable()) {
            err.println("berth: warning: skipping " + unreadable.message());
        }
    }

    private static String minutes(Instant instant) {
        return instant.toString().substring(0, 16).replace('T', ' ');
    }
}
