package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.Json;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.EnvironmentSummary;
import io.jenkins.plugins.berth.environments.StateException;
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
    public Integer call() throws IOException, StateException {
        PrintWriter out = spec.commandLine().getOut();
        DirectoryStateStore store = new DirectoryStateStore(stateFolder.folder());
        if (json) {
            // Whole records, which the index does not hold.
            StateStore.Records records = store.records();
            warnSkipped(records.unreadable(), spec.commandLine().getErr());
            out.println(Json.mapper().writeValueAsString(records.readable()));
            return records.unreadable().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        // The records index: one file, however many environments.
        StateStore.Summaries summaries = store.summaries();
        // Warnings go to stderr, so that --json output stays one valid JSON array.
        warnSkipped(summaries.unreadable(), spec.commandLine().getErr());
        int exitCode = summaries.unreadable().isEmpty() ? ExitCodes.OK : ExitCodes.FAILED;
        List<EnvironmentSummary> all = summaries.readable();
        if (all.isEmpty()) {
            out.println("no environments in " + stateFolder.folder());
            return exitCode;
        }
        // Padded by hand and written in large pieces: a formatter and a flush per line cost more than the
        // reading at 100,000 environments.
        StringBuilder text = new StringBuilder(64 * 1024);
        row(text, "NAME", "KIND", "STATUS", "BRANCH", "LAST DEPLOY", "EXPIRES", "PROTECTED", "URL");
        for (EnvironmentSummary env : all) {
            row(text, env.name(), env.kind().keyword(), env.status().keyword(), env.branch(),
                    env.lastDeployAt().map(EnvsCommand::minutes).orElse("-"),
                    env.expiresAt().map(EnvsCommand::minutes).orElse("-"), env.isProtected() ? "yes" : "no",
                    env.url().orElse("-"));
            env.teardownStagesSkipped().ifPresent(reason -> text.append("    teardown stages skipped: ").append(reason)
                    .append('\n'));
            if (text.length() > 60 * 1024) {
                out.write(text.toString());
                text.setLength(0);
            }
        }
        out.write(text.toString());
        out.flush();
        return exitCode;
    }

    private static final int[] WIDTHS = {32, 13, 12, 24, 20, 20, 9};

    /** One line of the table: each column but the last padded to its width, one space apart. */
    private static void row(StringBuilder text, String... columns) {
        for (int i = 0; i < columns.length; i++) {
            text.append(columns[i]);
            if (i < WIDTHS.length) {
                for (int pad = columns[i].length(); pad < WIDTHS[i]; pad++) {
                    text.append(' ');
                }
                text.append(' ');
            }
        }
        text.append('\n');
    }

    /** One line on {@code err} for each record that cannot be read and is left out. */
    static void warnSkipped(List<StateStore.Unreadable> skipped, PrintWriter err) {
        for (StateStore.Unreadable unreadable : skipped) {
            err.println("berth: warning: skipping " + unreadable.message());
        }
    }

    private static String minutes(Instant instant) {
        return instant.toString().substring(0, 16).replace('T', ' ');
    }
}
