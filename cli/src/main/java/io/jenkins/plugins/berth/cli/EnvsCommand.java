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
        // The records index: one file, however many environments, read as it is printed.
        PrintWriter err = spec.commandLine().getErr();
        StringBuilder text = new StringBuilder(64 * 1024);
        int[] listed = {0};
        int[] unreadable = {0};
        row(text, "NAME", "KIND", "STATUS", "BRANCH", "LAST DEPLOY", "EXPIRES", "PROTECTED", "URL");
        store.eachSummary(new StateStore.SummaryVisitor() {
            @Override
            public void readable(EnvironmentSummary env) {
                listed[0]++;
                row(text, env.name(), env.kind().keyword(), env.status().keyword(), env.branch(),
                        env.lastDeployAt().map(EnvsCommand::minutes).orElse("-"),
                        env.expiresAt().map(EnvsCommand::minutes).orElse("-"), env.isProtected() ? "yes" : "no",
                        env.url().orElse("-"));
                env.teardownStagesSkipped().ifPresent(reason -> text.append("    teardown stages skipped: ")
                        .append(reason).append('\n'));
                // Written in large pieces: a flush per line costs more than the reading at 100,000 environments.
                if (text.length() > 60 * 1024) {
                    out.write(text.toString());
                    text.setLength(0);
                }
            }

            @Override
            public void unreadable(StateStore.Unreadable record) {
                unreadable[0]++;
                // Warnings go to stderr, so that --json output stays one valid JSON array.
                warnSkipped(List.of(record), err);
            }
        });
        if (listed[0] == 0) {
            out.println("no environments in " + stateFolder.folder());
        } else {
            out.write(text.toString());
            out.flush();
        }
        return unreadable[0] == 0 ? ExitCodes.OK : ExitCodes.FAILED;
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

    /** "2026-11-22 10:00" (UTC), without the general formatter, which costs more than the rest of a line. */
    static String minutes(Instant instant) {
        java.time.LocalDateTime at = java.time.LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0,
                java.time.ZoneOffset.UTC);
        if (at.getYear() < 1000 || at.getYear() > 9999) {
            return instant.toString().substring(0, 16).replace('T', ' ');
        }
        char[] text = {0, 0, 0, 0, '-', 0, 0, '-', 0, 0, ' ', 0, 0, ':', 0, 0};
        put(text, 0, at.getYear(), 4);
        put(text, 5, at.getMonthValue(), 2);
        put(text, 8, at.getDayOfMonth(), 2);
        put(text, 11, at.getHour(), 2);
        put(text, 14, at.getMinute(), 2);
        return new String(text);
    }

    private static void put(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
