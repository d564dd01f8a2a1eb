package io.jenkins.plugins.berth.cli;

import io.jenkins.plugins.berth.BerthException;
import io.jenkins.plugins.berth.environments.DirectoryStateStore;
import io.jenkins.plugins.berth.environments.Reaper;
import io.jenkins.plugins.berth.environments.StateStore;
import io.jenkins.plugins.berth.run.RunnerEnvironment;
import io.jenkins.plugins.berth.run.SecretSource;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth reap [--dry-run]}: tear down expired, unprotected environments. */
@Command(name = "reap", mixinStandardHelpOptions = true,
        description = {"Tear down every environment whose ttl has run out since its last deploy, unless it is"
                + " protected or pinned (release stages are). Lists each environment and the verdict; with"
                + " --dry-run, changes nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every expired environment torn down (or none expired)", "1:a teardown failed, or a record"
                + " cannot be read (the others went on)", "2:wrong usage or a bad secrets file"})
final class ReapCommand implements Callable<Integer> {

    @CommandLine.Mixin
    StateFolderOption stateFolder;

    @Option(names = "--dry-run", description = "Only say what would be torn down.")
    boolean dryRun;

    @CommandLine.Mixin
    SecretsOption secretsOption;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RunnerEnvironment environment = BerthCommand.environment(spec);
        Optional<SecretSource> secrets = secretsOption.read(err, environment);
        if (secrets.isEmpty()) {
            return ExitCodes.USAGE;
        }
        DirectoryStateStore state = new DirectoryStateStore(stateFolder.folder());
        // The records index, read as the verdicts are printed: the decision needs no whole record, a teardown
        // reads its own. Verdicts go out in large pieces (a flush per line costs more than the decision at 100,000).
        StringBuilder verdicts = new StringBuilder(64 * 1024);
        List<Reaper.Decision> due = new java.util.ArrayList<>();
        int[] unreadable = {0};
        Instant now = Instant.now();
        state.eachSummary(new StateStore.SummaryVisitor() {
            @Override
            public void readable(io.jenkins.plugins.berth.environments.EnvironmentSummary summary) {
                Reaper.Decision decision = Reaper.decide(summary, now);
                String name = summary.name();
                if (!decision.reap()) {
                    verdicts.append("==> keep ").append(name).append(": ").append(decision.reason()).append('\n');
                } else if (dryRun) {
                    verdicts.append("==> would tear down ").append(name).append(": ").append(decision.reason())
                            .append('\n');
                } else {
                    due.add(decision);
                }
                if (verdicts.length() > 60 * 1024) {
                    out.write(verdicts.toString());
                    verdicts.setLength(0);
                }
            }

            @Override
            public void unreadable(StateStore.Unreadable record) {
                unreadable[0]++;
                EnvsCommand.warnSkipped(List.of(record), err);
            }
        });
        out.write(verdicts.toString());
        out.flush();
        int failures = unreadable[0];
        // The teardowns, once the listing is over: each says its verdict, then its own output follows.
        for (Reaper.Decision decision : due) {
            String name = decision.environment().name();
            out.println("==> tear down " + name + ": " + decision.reason());
            try {
                LocalEngine.teardown(stateFolder.folder(), out, environment).down(name, secrets.get());
            } catch (BerthException e) {
                failures++;
                err.println("berth: " + name + ": " + e.getMessage());
            }
        }
        return failures == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
